//! Everything the plugin writes for one gateway, decided once: the provider accounts, the
//! load-balancing, rate-limiting and budget rules, and so which files apply.

use crate::accounts::{Account, collect};
use crate::credentials::secret_group;
use crate::manifest::{
    BUDGETS_PATH, LOAD_BALANCING_PATH, PROVIDER_ACCOUNTS_PATH, RATE_LIMITING_PATH,
};
use crate::policies::{Budget, RateLimit, budgets, rate_limits};
use crate::routing::{Rule, rules};
use gwscript_plugin::model::{Gateway, Param};

#[derive(Debug)]
pub struct Plan {
    pub accounts: Vec<Account>,
    /// Who may use the accounts' models (the gateway's `model_access`).
    pub model_access: Vec<String>,
    pub routes: Vec<Rule>,
    pub rate_limits: Vec<RateLimit>,
    pub budgets: Vec<Budget>,
}

impl Plan {
    pub fn of(gateway: &Gateway) -> Result<Plan, String> {
        let model_access = match gateway.option("model_access") {
            Some(Param::List(subjects)) => subjects
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Plan {
            accounts: collect(gateway, secret_group(gateway)).accounts,
            model_access,
            routes: rules(gateway),
            rate_limits: rate_limits(gateway)?,
            budgets: budgets(gateway)?,
        })
    }

    /// The files to apply, in the order `tfy apply` must see them: accounts before the rules that
    /// name their models.
    pub fn files(&self) -> Vec<&'static str> {
        let mut files = vec![PROVIDER_ACCOUNTS_PATH];
        if !self.routes.is_empty() {
            files.push(LOAD_BALANCING_PATH);
        }
        if !self.rate_limits.is_empty() {
            files.push(RATE_LIMITING_PATH);
        }
        if !self.budgets.is_empty() {
            files.push(BUDGETS_PATH);
        }
        files
    }

    /// The declared templates this setup has nothing for.
    pub fn omitted(&self) -> Vec<String> {
        let files = self.files();
        [LOAD_BALANCING_PATH, RATE_LIMITING_PATH, BUDGETS_PATH]
            .into_iter()
            .filter(|path| !files.contains(path))
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ordered, tfy_gateway};
    use gwscript_plugin::testing::{anthropic, list, literal, map, with_gateway_option};

    #[test]
    fn only_files_with_content_apply() {
        let plain = Plan::of(&tfy_gateway(vec![anthropic("a-main/claude-x", "m")])).unwrap();
        assert_eq!(plain.files(), [PROVIDER_ACCOUNTS_PATH]);
        assert_eq!(
            plain.omitted(),
            [LOAD_BALANCING_PATH, RATE_LIMITING_PATH, BUDGETS_PATH]
        );
        let gateway = with_gateway_option(
            tfy_gateway(vec![ordered(anthropic("a-main/claude-x", "m"), 1)]),
            "budgets",
            list([map([("limit_usd", literal(5)), ("period", literal("day"))])]),
        );
        let full = Plan::of(&with_gateway_option(
            gateway,
            "model_access",
            list([literal("team:everyone")]),
        ))
        .unwrap();
        assert_eq!(
            full.files(),
            [PROVIDER_ACCOUNTS_PATH, LOAD_BALANCING_PATH, BUDGETS_PATH]
        );
        assert_eq!(full.omitted(), [RATE_LIMITING_PATH]);
        assert_eq!(full.model_access, ["team:everyone"]);
    }
}
