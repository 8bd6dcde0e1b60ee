//! A proxy with `database_url`: what LiteLLM keeps in the database, and the Prisma steps it needs
//! before it can use it, which `litellm[proxy]` leaves to the operator. `start.sh` runs the same
//! steps (templates/start.sh.j2).

use crate::catalog;
use gwscript_plugin::model::Gateway;

/// Prints where the installed `litellm` package keeps its Prisma schema, without importing
/// LiteLLM (which would fetch its cost map at import).
const LOCATE_SCHEMA: &str = "import importlib.util, pathlib; \
     print(pathlib.Path(importlib.util.find_spec(\"litellm\").origin).parent / \"proxy\" / \"schema.prisma\")";

pub fn has_database(gateway: &Gateway) -> bool {
    gateway.option("database_url").is_some()
}

/// Installing a proxy with a database: the packages (Prisma Client Python among them), then the
/// Prisma client generated from LiteLLM's own schema (once per install, as LiteLLM's own image
/// does at build).
pub fn install_commands(gateway: &Gateway) -> String {
    format!(
        "{}\nprisma generate --schema \"$(python3 -c '{LOCATE_SCHEMA}')\"",
        catalog::install_command(gateway)
    )
}

/// What the database is for, and what its first use needs.
pub fn note() -> String {
    format!(
        "database_url: LiteLLM keeps virtual keys, teams and users, budgets, spend logs and its \
         admin UI (/ui) in this Postgres database, through Prisma Client Python, which \
         litellm[proxy] does not install: install prisma=={} and generate its client from \
         LiteLLM's schema.prisma (the install block; start.sh regenerates it when that schema \
         changed). LiteLLM applies its own migrations (prisma migrate deploy) at every start, and \
         {} stops it when they fail. The first generate and migration fetch the Prisma CLI \
         through npm (Node.js must be on PATH) and Prisma's query and schema engines from \
         Prisma's own download server into ~/.cache/prisma-python: allow that once, or copy the \
         cache to hosts without internet access.",
        catalog::PRISMA_VERSION,
        catalog::ENFORCE_MIGRATIONS_FLAG,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LiteLlm;
    use crate::manifest::START_SCRIPT_PATH;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{
        anthropic, render, rendered, secret, setup_for, with_gateway_option,
    };

    fn with_database() -> Gateway {
        with_gateway_option(
            gateway_with(vec![anthropic("s", "claude-sonnet-4-5")], vec![]),
            "database_url",
            secret("DATABASE_URL"),
        )
    }

    /// The line of `text` that starts with `prefix` (after indentation), and its index.
    fn line_starting(text: &str, prefix: &str) -> (usize, String) {
        text.lines()
            .enumerate()
            .find(|(_, line)| line.trim_start().starts_with(prefix))
            .map(|(at, line)| (at, line.trim_start().to_owned()))
            .unwrap_or_else(|| panic!("no line starts with {prefix:?} in:\n{text}"))
    }

    #[test]
    fn install_pins_prisma_and_generates_from_litellms_schema() {
        assert_eq!(
            install_commands(&with_database())
                .lines()
                .collect::<Vec<_>>(),
            [
                "pip install 'litellm[proxy]==1.102.4' 'prisma==0.11.0'",
                "prisma generate --schema \"$(python3 -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec(\"litellm\").origin).parent / \"proxy\" / \"schema.prisma\")')\"",
            ]
        );
    }

    #[test]
    fn the_report_installs_generates_and_enforces_migrations_only_with_a_database() {
        let plain = rendered::<LiteLlm>(&setup_for(gateway_with(
            vec![anthropic("s", "claude-sonnet-4-5")],
            vec![],
        )))
        .unwrap()
        .report;
        assert_eq!(
            plain.install.as_deref(),
            Some("pip install 'litellm[proxy]==1.102.4'")
        );
        assert!(!plain.start.unwrap().contains("prisma"));
        assert!(!plain.notes.iter().any(|n| n.starts_with("database_url:")));

        let report = rendered::<LiteLlm>(&setup_for(with_database()))
            .unwrap()
            .report;
        assert_eq!(report.install, Some(install_commands(&with_database())));
        assert_eq!(
            report.start.as_deref(),
            Some(
                "litellm --config 'litellm/config.yaml' --host '127.0.0.1' --port 4000 \
                 --enforce_prisma_migration_check"
            )
        );
        let note = report
            .notes
            .iter()
            .find(|n| n.starts_with("database_url:"))
            .expect("a note says what the database is for");
        for fact in ["virtual keys", "spend logs", "admin UI", "prisma==0.11.0"] {
            assert!(note.contains(fact), "{fact}: {note}");
        }
    }

    /// start.sh: the variables first, then Prisma Client Python located beside LiteLLM, the
    /// client generated from LiteLLM's schema, and LiteLLM started with migrations enforced.
    #[test]
    fn start_script_prepares_prisma_before_starting_litellm() {
        let script = render::<LiteLlm>(&setup_for(with_database()), START_SCRIPT_PATH);
        assert!(
            script.contains("#   pip install 'litellm[proxy]==1.102.4' 'prisma==0.11.0'\n"),
            "{script}"
        );
        let order: Vec<usize> = [
            "require_env 'DATABASE_URL'",
            "litellm_bin=",
            "schema=\"$(package_file litellm proxy schema.prisma)\"",
            "generated=\"$(package_file prisma schema.prisma)\"",
            "if ! cmp -s \"$schema\" \"$generated\"",
            "PATH=\"$(dirname \"$python\"):$PATH\" \"$python\" -m prisma generate --schema \"$schema\"",
            "exec litellm ",
        ]
        .iter()
        .map(|step| line_starting(&script, step).0)
        .collect();
        assert!(order.is_sorted(), "steps out of order {order:?}:\n{script}");
        assert!(script.contains("pip install 'prisma==0.11.0'"), "{script}");
        let (_, exec) = line_starting(&script, "exec litellm ");
        assert!(
            exec.ends_with(" --enforce_prisma_migration_check"),
            "{exec}"
        );

        let plain = render::<LiteLlm>(
            &setup_for(gateway_with(vec![anthropic("s", "m")], vec![])),
            START_SCRIPT_PATH,
        );
        assert!(!plain.contains("prisma"), "{plain}");
    }
}
