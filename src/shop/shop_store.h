#pragma once
// SQL of the offer shop: partners, who acts for which partner, offers and their pictures.
// Every function runs inside the caller's transaction.

#include "db/connection.h"
#include "shop/offer.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::shop::store {

struct Partner {
    std::int64_t id{0};
    std::string name;
    std::string description;
    bool active{true};
};

Result<Partner> create_partner(db::Connection& c, const std::string& name,
                               const std::string& description, std::int64_t now_ms);
Result<std::vector<Partner>> list_partners(db::Connection& c);
Result<std::optional<Partner>> find_partner(db::Connection& c, std::int64_t id);
// Binds a principal ("staff:3", "apikey:2") to a partner: the partner screen then acts for it.
Result<void> bind_member(db::Connection& c, const std::string& principal, std::int64_t partner_id,
                         std::int64_t now_ms);
Result<void> unbind_member(db::Connection& c, const std::string& principal);
Result<std::optional<std::int64_t>> partner_of(db::Connection& c, const std::string& principal);
Result<std::vector<std::pair<std::string, std::int64_t>>> list_members(db::Connection& c);
// The partner a principal acts for at the till: its binding; none for town staff (an
// administrator, who may act for every partner); for an account with the role
// Partner (`partner_role`) that is bound to none: FailedPrecondition (a missing set-up, not a
// missing permission).
Result<std::optional<std::int64_t>> acting_partner(db::Connection& c, const std::string& principal,
                                                   bool partner_role);

struct OfferFilter {
    bool only_active{false};
    // Only this department's offers (department staff); `OfferScope` says whom it applies to.
    std::optional<OfferScope> scope;
    std::optional<std::int64_t> after_id; // cursor
    int limit{100};
};
Result<std::vector<Offer>> list_offers(db::Connection& c, const OfferFilter& f);
// FOR UPDATE on PostgreSQL when `lock`: redemptions of one offer take turns.
enum class Lock { None, ForUpdate };
Result<std::optional<Offer>> find_offer(db::Connection& c, std::int64_t id, Lock lock = Lock::None);
Result<Offer> create_offer(db::Connection& c, Offer o, const std::string& actor,
                           std::int64_t now_ms);
Result<Offer> update_offer(db::Connection& c, const Offer& o, std::int64_t now_ms);
// An offer with vouchers is switched off instead of deleted (the vouchers still name it).
enum class Removed { Deleted, Deactivated };
Result<Removed> remove_offer(db::Connection& c, std::int64_t id, std::int64_t now_ms);

struct Image {
    std::string content_type;
    std::string bytes;
};
Result<void> put_image(db::Connection& c, std::int64_t offer_id, const Image& image,
                       std::int64_t now_ms);
Result<std::optional<Image>> find_image(db::Connection& c, std::int64_t offer_id);

} // namespace teilhabe::shop::store
