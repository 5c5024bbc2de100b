#include "shop/shop_store.h"

#include "db/dialect.h"

#include <fmt/format.h>
#include <sodium.h>

namespace teilhabe::shop::store {

namespace {

constexpr const char* kOfferColumns =
    "o.id, o.title, o.description, o.price_points, o.stock, o.per_person_limit, o.valid_from, "
    "o.valid_until, o.partner_id, COALESCE(p.name, ''), o.department_id, o.active, "
    "(SELECT COUNT(*) FROM offer_images i WHERE i.offer_id = o.id), o.created_at, o.updated_at";

Offer offer_of(const db::Row& r) {
    Offer o;
    o.id = r.get_int(0);
    o.title = r.get_text(1);
    o.description = r.get_text(2);
    o.price_points = r.get_int(3);
    o.stock = r.get_opt_int(4);
    o.per_person_limit = r.get_opt_int(5);
    o.valid_from_ms = r.get_opt_int(6);
    o.valid_until_ms = r.get_opt_int(7);
    o.partner_id = r.get_opt_int(8);
    o.partner_name = r.get_text(9);
    o.department_id = r.get_opt_int(10);
    o.active = r.get_int(11) != 0;
    o.has_image = r.get_int(12) > 0;
    o.created_at_ms = r.get_int(13);
    o.updated_at_ms = r.get_int(14);
    return o;
}

Partner partner_of_row(const db::Row& r) {
    return {r.get_int(0), r.get_text(1), r.get_text(2), r.get_int(3) != 0};
}

Result<void> check_partner(db::Connection& c, const std::optional<std::int64_t>& id) {
    if (id && !TRY(find_partner(c, *id)))
        return fail(Error::invalid(fmt::format("There is no partner {}.", *id), "partner_id"));
    return {};
}

Result<void> check_department(db::Connection& c, const std::optional<std::int64_t>& id) {
    if (id && TRY(c.query("SELECT 1 FROM departments WHERE id = ?", {*id})).empty())
        return fail(
            Error::invalid(fmt::format("There is no department {}.", *id), "department_id"));
    return {};
}

} // namespace

Result<Partner> create_partner(db::Connection& c, const std::string& name,
                               const std::string& description, std::int64_t now_ms) {
    if (name.empty() || name.size() > 200)
        return fail(Error::invalid("A partner's name has 1 to 200 characters.", "name"));
    auto exists = TRY(c.query("SELECT 1 FROM partners WHERE name = ?", {name}));
    if (!exists.empty())
        return fail(Error::exists("A partner of that name exists."));
    auto row = TRY(c.query_one("INSERT INTO partners (name, description, active, created_at, "
                               "updated_at) VALUES (?, ?, 1, ?, ?) RETURNING id",
                               {name, description, now_ms, now_ms}));
    return Partner{row.get_int(0), name, description, true};
}

Result<std::vector<Partner>> list_partners(db::Connection& c) {
    auto rows = TRY(
        c.query("SELECT id, name, description, active FROM partners ORDER BY name, id"));
    std::vector<Partner> out;
    for (const auto& r : rows.rows)
        out.push_back(partner_of_row(r));
    return out;
}

Result<std::optional<Partner>> find_partner(db::Connection& c, std::int64_t id) {
    auto rows =
        TRY(c.query("SELECT id, name, description, active FROM partners WHERE id = ?", {id}));
    if (rows.empty())
        return std::optional<Partner>{};
    return std::optional<Partner>{partner_of_row(rows.first())};
}

Result<void> bind_member(db::Connection& c, const std::string& principal, std::int64_t partner_id,
                         std::int64_t now_ms) {
    TRY(check_partner(c, partner_id));
    TRY(c.query("DELETE FROM partner_members WHERE principal = ?", {principal}));
    TRY(c.query("INSERT INTO partner_members (principal, partner_id, created_at) VALUES (?, ?, ?)",
                {principal, partner_id, now_ms}));
    return {};
}

Result<void> unbind_member(db::Connection& c, const std::string& principal) {
    TRY(c.query("DELETE FROM partner_members WHERE principal = ?", {principal}));
    return {};
}

Result<std::optional<std::int64_t>> partner_of(db::Connection& c, const std::string& principal) {
    auto rows =
        TRY(c.query("SELECT partner_id FROM partner_members WHERE principal = ?", {principal}));
    if (rows.empty())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{rows.first().get_int(0)};
}

Result<std::optional<std::int64_t>> acting_partner(db::Connection& c, const std::string& principal,
                                                   bool partner_role) {
    auto bound = TRY(partner_of(c, principal));
    if (bound || !partner_role)
        return bound;
    return fail(Error::precondition("This account is bound to no partner: an administrator binds it "
                              "under /admin/offers/partners."));
}

Result<std::vector<std::pair<std::string, std::int64_t>>> list_members(db::Connection& c) {
    auto rows =
        TRY(c.query("SELECT principal, partner_id FROM partner_members ORDER BY principal"));
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& r : rows.rows)
        out.emplace_back(r.get_text(0), r.get_int(1));
    return out;
}

Result<std::vector<Offer>> list_offers(db::Connection& c, const OfferFilter& f) {
    std::string sql = fmt::format("SELECT {} FROM offers o LEFT JOIN partners p ON p.id = "
                                  "o.partner_id WHERE o.id > ?",
                                  kOfferColumns);
    if (f.only_active)
        sql += " AND o.active = 1";
    // Department staff: their department's offers only (none without a department).
    bool by_department = f.scope && f.scope->limited;
    if (by_department && !f.scope->department)
        return std::vector<Offer>{};
    sql += by_department ? " AND o.department_id = ? ORDER BY o.id LIMIT ?" : " ORDER BY o.id LIMIT ?";
    auto rows = by_department
                    ? TRY(c.query(sql, {f.after_id.value_or(0), *f.scope->department,
                                        std::int64_t{f.limit}}))
                    : TRY(c.query(sql, {f.after_id.value_or(0), std::int64_t{f.limit}}));
    std::vector<Offer> out;
    for (const auto& r : rows.rows)
        out.push_back(offer_of(r));
    return out;
}

Result<std::optional<Offer>> find_offer(db::Connection& c, std::int64_t id, Lock lock) {
    if (lock == Lock::ForUpdate)
        TRY(c.query(fmt::format("SELECT id FROM offers WHERE id = ?{}",
                                db::dialect::for_update(c.backend())),
                    {id}));
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM offers o LEFT JOIN partners p ON p.id = "
                                        "o.partner_id WHERE o.id = ?",
                                        kOfferColumns),
                            {id}));
    if (rows.empty())
        return std::optional<Offer>{};
    return std::optional<Offer>{offer_of(rows.first())};
}

Result<Offer> create_offer(db::Connection& c, Offer o, const std::string& actor,
                           std::int64_t now_ms) {
    TRY(validate(o));
    TRY(check_partner(c, o.partner_id));
    TRY(check_department(c, o.department_id));
    auto row = TRY(c.query_one(
        "INSERT INTO offers (title, description, price_points, stock, per_person_limit, "
        "valid_from, valid_until, partner_id, department_id, active, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {o.title, o.description, o.price_points, db::opt(o.stock), db::opt(o.per_person_limit),
         db::opt(o.valid_from_ms), db::opt(o.valid_until_ms), db::opt(o.partner_id),
         db::opt(o.department_id), std::int64_t{o.active ? 1 : 0}, actor, now_ms, now_ms}));
    return TRY(find_offer(c, row.get_int(0))).value();
}

Result<Offer> update_offer(db::Connection& c, const Offer& o, std::int64_t now_ms) {
    TRY(validate(o));
    TRY(check_partner(c, o.partner_id));
    TRY(check_department(c, o.department_id));
    TRY(c.query("UPDATE offers SET title = ?, description = ?, price_points = ?, stock = ?, "
                "per_person_limit = ?, valid_from = ?, valid_until = ?, partner_id = ?, "
                "department_id = ?, active = ?, updated_at = ? WHERE id = ?",
                {o.title, o.description, o.price_points, db::opt(o.stock),
                 db::opt(o.per_person_limit), db::opt(o.valid_from_ms),
                 db::opt(o.valid_until_ms), db::opt(o.partner_id), db::opt(o.department_id),
                 std::int64_t{o.active ? 1 : 0}, now_ms, o.id}));
    return TRY(find_offer(c, o.id)).value();
}

Result<Removed> remove_offer(db::Connection& c, std::int64_t id, std::int64_t now_ms) {
    if (!TRY(find_offer(c, id)))
        return fail(Error::not_found(fmt::format("There is no offer {}.", id)));
    auto used = TRY(c.query("SELECT 1 FROM vouchers WHERE offer_id = ? LIMIT 1", {id}));
    if (!used.empty()) {
        TRY(c.query("UPDATE offers SET active = 0, updated_at = ? WHERE id = ?", {now_ms, id}));
        return Removed::Deactivated;
    }
    TRY(c.query("DELETE FROM offer_images WHERE offer_id = ?", {id}));
    TRY(c.query("DELETE FROM offers WHERE id = ?", {id}));
    return Removed::Deleted;
}

Result<void> put_image(db::Connection& c, std::int64_t offer_id, const Image& image,
                       std::int64_t now_ms) {
    std::string b64(sodium_base64_ENCODED_LEN(image.bytes.size(), sodium_base64_VARIANT_ORIGINAL),
                    '\0');
    sodium_bin2base64(b64.data(), b64.size(),
                      reinterpret_cast<const unsigned char*>(image.bytes.data()),
                      image.bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::char_traits<char>::length(b64.c_str()));
    TRY(c.query("DELETE FROM offer_images WHERE offer_id = ?", {offer_id}));
    TRY(c.query("INSERT INTO offer_images (offer_id, content_type, data_base64, updated_at) "
                "VALUES (?, ?, ?, ?)",
                {offer_id, image.content_type, b64, now_ms}));
    return {};
}

Result<std::optional<Image>> find_image(db::Connection& c, std::int64_t offer_id) {
    auto rows = TRY(c.query(
        "SELECT content_type, data_base64 FROM offer_images WHERE offer_id = ?", {offer_id}));
    if (rows.empty())
        return std::optional<Image>{};
    auto b64 = rows.first().get_text(1);
    std::string bytes(b64.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                          b64.data(), b64.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return fail(Error::internal("an offer image is not valid base64"));
    bytes.resize(len);
    return std::optional<Image>{Image{rows.first().get_text(0), std::move(bytes)}};
}

} // namespace teilhabe::shop::store
