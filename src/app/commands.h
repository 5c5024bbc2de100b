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
int cmd_apikey_create(const Config& config, const std::string& name, const std::string& role);
int cmd_apikey_list(const Config& config, std::ostream& out);
int cmd_apikey_revoke(const Config& config, std::int64_t id);
int cmd_demo(const Config& config, int citizens);
int cmd_backup(const Config& config, const std::string& file);
int cmd_import(const Config& config, const std::string& file, bool dry_run,
               const std::vector<std::string>& mapping);

} // namespace teilhabe::app
