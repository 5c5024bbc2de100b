#include "shop/image.h"
#include "shop/voucher_code.h"

#include <gtest/gtest.h>
#include <set>

namespace teilhabe::shop {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

TEST(VoucherCode, IsTwentySymbolsWithAValidCheckAndNeverRepeats) {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        auto code = new_code();
        ASSERT_EQ(code.size(), kCodeSymbols);
        for (char c : code)
            ASSERT_NE(kAlphabet.find(c), std::string_view::npos) << code;
        EXPECT_TRUE(check_ok(code)) << code;
        EXPECT_TRUE(seen.insert(code).second) << code;
    }
}

TEST(VoucherCode, UsesEverySymbolInEveryRandomPosition) {
    // 95 random bits: each of the 19 random positions takes all 32 symbols over enough codes.
    std::vector<std::set<char>> at(kCodeSymbols - 1);
    for (int i = 0; i < 3000; ++i) {
        auto code = new_code();
        for (std::size_t p = 0; p + 1 < kCodeSymbols; ++p)
            at[p].insert(code[p]);
    }
    for (std::size_t p = 0; p + 1 < kCodeSymbols; ++p)
        EXPECT_EQ(at[p].size(), 32u) << "position " << p;
}

// Exhaustively over a sample of codes: every single changed symbol in every position, and every
// swap of two different neighbours, is caught by the check symbol.
TEST(VoucherCode, CheckCatchesEverySingleErrorAndEveryNeighbourSwap) {
    int changed = 0, swapped = 0;
    for (int sample = 0; sample < 200; ++sample) {
        auto code = new_code();
        for (std::size_t p = 0; p < code.size(); ++p)
            for (char c : kAlphabet) {
                if (c == code[p])
                    continue;
                auto wrong = code;
                wrong[p] = c;
                ASSERT_FALSE(check_ok(wrong)) << code << " -> " << wrong;
                ++changed;
            }
        for (std::size_t p = 0; p + 1 < code.size(); ++p) {
            if (code[p] == code[p + 1])
                continue;
            auto wrong = code;
            std::swap(wrong[p], wrong[p + 1]);
            ASSERT_FALSE(check_ok(wrong)) << code << " -> " << wrong;
            ++swapped;
        }
    }
    EXPECT_EQ(changed, 200 * 20 * 31);
    EXPECT_GT(swapped, 200 * 15);
}

TEST(VoucherCode, NormalisesWhatPeopleType) {
    auto code = new_code();
    auto shown = format_code(code);
    EXPECT_EQ(shown.size(), 24u);
    EXPECT_EQ(shown[4], '-');
    EXPECT_EQ(normalise_code(shown).value(), code);
    std::string lower;
    for (char c : shown)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(normalise_code(" " + lower + " ").value(), code);
    // O for 0, I and L for 1.
    std::string typed = code;
    for (char& c : typed) {
        if (c == '0')
            c = 'O';
        else if (c == '1')
            c = (&c - typed.data()) % 2 ? 'I' : 'l';
    }
    EXPECT_EQ(normalise_code(typed).value(), code);
    // Spaces in groups.
    std::string spaced;
    for (std::size_t i = 0; i < code.size(); ++i)
        spaced += (i && i % 4 == 0 ? " " : "") + std::string(1, code[i]);
    EXPECT_EQ(normalise_code(spaced).value(), code);
}

TEST(VoucherCode, RefusesWrongLengthForeignSymbolsAndBadChecks) {
    auto code = new_code();
    EXPECT_FALSE(normalise_code(code.substr(1)));
    EXPECT_FALSE(normalise_code(code + "0"));
    EXPECT_FALSE(normalise_code(code.substr(0, 19) + "U"));
    EXPECT_FALSE(normalise_code(""));
    auto wrong = code;
    wrong[3] = wrong[3] == 'A' ? 'B' : 'A';
    auto r = normalise_code(wrong);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "code");
}

TEST(OfferImage, AcceptsPngJpegWebpOnlyAndWithinTheLimit) {
    EXPECT_EQ(image_type(std::string("\x89PNG\r\n\x1a\n....", 12)).value(), "image/png");
    EXPECT_EQ(image_type("\xFF\xD8\xFF\xE0rest").value(), "image/jpeg");
    EXPECT_EQ(image_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)).value(), "image/webp");
    EXPECT_FALSE(image_type("<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"));
    EXPECT_FALSE(image_type("GIF89a"));
    EXPECT_FALSE(image_type("\x89PNG\r\n\x1a\n" + std::string(kMaxImageBytes, 'x')));
}

} // namespace
} // namespace teilhabe::shop
