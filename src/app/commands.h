#pragma once
// The sub-commands of `teilhabe` (SPEC.md "Operators' contract").

#include "app/config.h"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace teilhabe::app {

int cmd_serve(const Config& config);
int cmd_migrate(const Config& config);
int cmd_user_add(const Config& config, const std::string& email, const std::string& role,
                 const std::string& name, std::istream& password_in);
// A verified citizen portal account; the password is the first line of `password_in`.
int cmd_portal_account_add(const Config& config, const std::string& email,
                           std::istream& password_in);
int cmd_apikey_create(const Config& config, const std::string& name, const std::string& role);
int cmd_apikey_list(const Config& config, std::ostream& out);
int cmd_apikey_revoke(const Config& config, std::int64_t id);
int cmd_demo(const Config& config, int citizens);
int cmd_backup(const Config& config, const std::string& file);
// `teilhabe ledger check`: the ledger's invariants over the whole database; exit 1 when broken.
int cmd_ledger_check(const Config& config, std::ostream& out);
// Reads a delivery status notification on `in` (Postfix pipe transport). 0 when handled or
// when the input is no report (logged, so that Postfix does not retry it forever); 75
// (EX_TEMPFAIL: Postfix tries again later) when the database fails.
int cmd_bounce(const Config& config, const std::string& recipient, std::istream& in);
int cmd_import(const Config& config, const std::string& file, bool dry_run,
               const std::vector<std::string>& mapping);

// The filters of `teilhabe export`, as the list's query parameters.
struct ExportFilters {
    std::string q;
    std::string district;
    std::vector<std::string> tags;
    std::vector<std::string> interests;
    std::vector<std::string> fields; // KEY=VALUE
};
// Writes to standard output when `out_file` is empty.
int cmd_export(const Config& config, const std::string& format, const std::string& out_file,
               const ExportFilters& filters);

} // namespace teilhabe::app
