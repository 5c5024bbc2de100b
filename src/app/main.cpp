// teilhabe: the one binary. `teilhabe serve` runs the server; the other sub-commands are the
// operator's tools (SPEC.md "Operators' contract").

#include "app/commands.h"
#include "app/config.h"
#include "app/logging.h"

#include <CLI/CLI.hpp>
#include <iostream>

using namespace teilhabe::app;

int main(int argc, char** argv) {
    CLI::App cli{"Teilhabe – citizen participation and communication for a municipality"};
    cli.require_subcommand(1);
    std::optional<std::string> config_file;
    cli.add_option("--config", config_file, "TOML configuration file (the environment wins)");

    auto* serve = cli.add_subcommand("serve", "Run the server (migrates the database first)");
    serve->add_option("--config", config_file, "TOML configuration file");
    auto* migrate = cli.add_subcommand("migrate", "Bring the database schema up to date");
    migrate->add_option("--config", config_file, "TOML configuration file");

    auto* user = cli.add_subcommand("user", "Staff accounts");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand("add", "Create a staff account; password from stdin");
    std::string email, role = "admin", name;
    user_add->add_option("--email", email, "E-mail address")->required();
    user_add->add_option("--role", role, "admin, editor, department, analyst, dpo or partner")
        ->required();
    user_add->add_option("--name", name, "Display name");
    user_add->add_option("--config", config_file, "TOML configuration file");

    auto* portal_account = cli.add_subcommand("portal-account", "Citizen portal accounts");
    portal_account->require_subcommand(1);
    auto* portal_add = portal_account->add_subcommand(
        "add", "Open a verified portal account (for the profile with the address, or a new "
               "one); password from stdin");
    std::string portal_email;
    portal_add->add_option("--email", portal_email, "E-mail address")->required();
    portal_add->add_option("--config", config_file, "TOML configuration file");

    auto* apikey = cli.add_subcommand("apikey", "API keys");
    apikey->require_subcommand(1);
    auto* apikey_create = apikey->add_subcommand("create", "Create an API key; printed once");
    std::string key_name, key_role = "editor";
    apikey_create->add_option("--name", key_name, "What the key is for")->required();
    apikey_create->add_option("--role", key_role, "Role of the key")->required();
    apikey_create->add_option("--config", config_file, "TOML configuration file");
    auto* apikey_list = apikey->add_subcommand("list", "List API keys, with their last use");
    apikey_list->add_option("--config", config_file, "TOML configuration file");
    auto* apikey_revoke = apikey->add_subcommand("revoke", "Revoke an API key at once");
    std::int64_t key_id = 0;
    apikey_revoke->add_option("ID", key_id, "The key's id (see apikey list)")->required();
    apikey_revoke->add_option("--config", config_file, "TOML configuration file");

    auto* demo = cli.add_subcommand("demo", "Fill the database with a small demo town");
    int demo_citizens = 300;
    demo->add_option("--citizens", demo_citizens, "How many citizens")->check(CLI::Range(0, 100000));
    demo->add_option("--config", config_file, "TOML configuration file");

    auto* backup = cli.add_subcommand("backup", "Write a consistent copy of the database");
    std::string backup_file;
    backup->add_option("file", backup_file, "Target file")->required();
    backup->add_option("--config", config_file, "TOML configuration file");

    auto* ledger_cmd = cli.add_subcommand("ledger", "The points and Stadttaler ledger");
    ledger_cmd->require_subcommand(1);
    auto* ledger_check = ledger_cmd->add_subcommand(
        "check", "Check that every balance equals the sum of its entries (exit 1 if not)");
    ledger_check->add_option("--config", config_file, "TOML configuration file");

    auto* bounce = cli.add_subcommand("bounce", "Read a delivery status notification on stdin "
                                                "(for Postfix's pipe transport)");
    std::string bounce_recipient;
    bounce->add_option("--recipient", bounce_recipient,
                       "The address the report was delivered to (Postfix: ${recipient})");
    bounce->add_option("--config", config_file, "TOML configuration file");

    auto* import = cli.add_subcommand("import", "Import citizens from a CSV file (all or nothing)");
    std::string import_file;
    bool import_dry_run = false;
    std::vector<std::string> import_map;
    import->add_option("file", import_file, "CSV file (UTF-8 or Windows-1252, ; or ,)")->required();
    import->add_flag("--dry-run", import_dry_run, "Check every row and report; write nothing");
    import->add_option("--map", import_map,
                       "COLUMN=TARGET, e.g. \"Wohnort=district\", \"Hund=attributes.has_dog\", "
                       "\"Notiz=\" to ignore; repeatable");
    import->add_option("--config", config_file, "TOML configuration file");

    auto* exp = cli.add_subcommand("export", "Export the people the filters select");
    std::string export_format = "csv", export_out;
    ExportFilters export_filters;
    exp->add_option("--format", export_format, "csv (for Excel: ; and UTF-8 with BOM), xlsx or json")
        ->check(CLI::IsMember({"csv", "xlsx", "json"}));
    exp->add_option("--out", export_out, "File to write (replaced); standard output without it");
    exp->add_option("--q", export_filters.q, "Prefix of the e-mail address, first or last name");
    exp->add_option("--district", export_filters.district, "District (Ortsteil)");
    exp->add_option("--tag", export_filters.tags, "Tag; repeatable, all must hold");
    exp->add_option("--interest", export_filters.interests, "Topic key; repeatable");
    exp->add_option("--field", export_filters.fields, "KEY=VALUE of an own field; repeatable");
    exp->add_option("--config", config_file, "TOML configuration file");

    CLI11_PARSE(cli, argc, argv);

    auto config = load_config_file(config_file, process_environment());
    if (!config) {
        std::cerr << "teilhabe: configuration: " << config.error().message << "\n";
        return 2;
    }
    setup_logging(config->log_format, serve->parsed() ? config->log_level : "warn");
    if (serve->parsed())
        return cmd_serve(*config);
    if (migrate->parsed())
        return cmd_migrate(*config);
    if (user_add->parsed())
        return cmd_user_add(*config, email, role, name, std::cin);
    if (portal_add->parsed())
        return cmd_portal_account_add(*config, portal_email, std::cin);
    if (apikey_create->parsed())
        return cmd_apikey_create(*config, key_name, key_role);
    if (apikey_list->parsed())
        return cmd_apikey_list(*config, std::cout);
    if (apikey_revoke->parsed())
        return cmd_apikey_revoke(*config, key_id);
    if (ledger_check->parsed())
        return cmd_ledger_check(*config, std::cout);
    if (demo->parsed())
        return cmd_demo(*config, demo_citizens);
    if (backup->parsed())
        return cmd_backup(*config, backup_file);
    if (bounce->parsed())
        return cmd_bounce(*config, bounce_recipient, std::cin);
    if (import->parsed())
        return cmd_import(*config, import_file, import_dry_run, import_map);
    if (exp->parsed())
        return cmd_export(*config, export_format, export_out, export_filters);
    return 2;
}
