//! The gateway options as typed values. The host has validated them against the schemas in
//! [`crate::schemas`] before the plugin runs, so a value of the wrong shape is simply absent here.

use gwscript_plugin::model::{Gateway, Param, Span};
use std::collections::BTreeMap;

/// Which Zuplo product the recipe describes: they are configured in different places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// A Zuplo API project: routes and policies as files in the project's Git repository.
    ApiGateway,
    /// Zuplo's AI Gateway: providers, teams, apps and usage limits kept in the Zuplo Portal.
    AiGateway,
}

impl Product {
    pub const OPTION: &'static str = "product";

    pub fn of(gateway: &Gateway) -> Product {
        match gateway.option(Self::OPTION).and_then(Param::as_str) {
            Some("ai-gateway") => Product::AiGateway,
            _ => Product::ApiGateway,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Product::ApiGateway => "api-gateway",
            Product::AiGateway => "ai-gateway",
        }
    }

    /// The gateway options only this product reads.
    pub fn own_options(self) -> &'static [&'static str] {
        match self {
            Product::ApiGateway => &["upstream", "rate_limit", "api_key_bucket", "project"],
            Product::AiGateway => &["usage_limits"],
        }
    }
}

/// `rate_limit: #{ requests, window_minutes, by }`: Zuplo's rate-limit-inbound policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit<'a> {
    pub requests: i64,
    pub window_minutes: i64,
    /// Zuplo's `rateLimitBy`: `user` (the API key consumer), `ip` or `all`.
    pub by: &'a str,
}

pub fn rate_limit(gateway: &Gateway) -> Option<RateLimit<'_>> {
    let map = gateway.option("rate_limit")?.as_map()?;
    Some(RateLimit {
        requests: map.get("requests")?.as_i64()?,
        window_minutes: map.get("window_minutes")?.as_i64()?,
        by: map.get("by").and_then(Param::as_str).unwrap_or("user"),
    })
}

/// What a usage limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Meter {
    Cost,
    Tokens,
    Requests,
}

impl Meter {
    fn parse(text: &str) -> Option<Meter> {
        match text {
            "cost" => Some(Meter::Cost),
            "tokens" => Some(Meter::Tokens),
            "requests" => Some(Meter::Requests),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Meter::Cost => "cost",
            Meter::Tokens => "tokens",
            Meter::Requests => "requests",
        }
    }

    /// `limit` in the meter's unit, for messages and report steps.
    pub fn amount(self, limit: f64) -> String {
        match self {
            Meter::Cost => format!("${limit} (USD)"),
            Meter::Tokens => format!("{limit} tokens"),
            Meter::Requests => format!("{limit} requests"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Daily,
    Monthly,
}

impl Period {
    fn parse(text: &str) -> Option<Period> {
        match text {
            "daily" => Some(Period::Daily),
            "monthly" => Some(Period::Monthly),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Period::Daily => "daily",
            Period::Monthly => "monthly",
        }
    }
}

/// Where in the AI Gateway's hierarchy a limit sits: the gateway (root team) above teams, teams
/// above sub-teams, a team above its apps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level<'a> {
    Gateway,
    Team {
        name: &'a str,
        parent: Option<&'a str>,
    },
    App {
        name: &'a str,
        team: &'a str,
    },
}

impl<'a> Level<'a> {
    /// ``team `platform` ``, for messages.
    pub fn describe(&self) -> String {
        match self {
            Level::Gateway => "the gateway".into(),
            Level::Team { name, .. } => format!("team `{name}`"),
            Level::App { name, .. } => format!("app `{name}`"),
        }
    }

    /// The team directly above this level, if it names one.
    pub fn parent_team(&self) -> Option<&'a str> {
        match self {
            Level::Gateway => None,
            Level::Team { parent, .. } => *parent,
            Level::App { team, .. } => Some(team),
        }
    }
}

/// One entry of `usage_limits`.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageLimit<'a> {
    pub level: Level<'a>,
    pub meter: Meter,
    pub period: Period,
    pub limit: f64,
    /// Zuplo's enforcement mode: block over the limit, or only warn.
    pub warn_only: bool,
}

impl UsageLimit<'_> {
    /// ``team `platform` monthly limit of $500 (USD)``.
    pub fn describe(&self) -> String {
        format!(
            "{} {} limit of {}",
            self.level.describe(),
            self.period.name(),
            self.meter.amount(self.limit)
        )
    }
}

/// The usage limits in recipe order, with the span of the `usage_limits` option.
pub fn usage_limits(gateway: &Gateway) -> (Vec<UsageLimit<'_>>, Option<Span>) {
    let span = gateway.option_span("usage_limits");
    let limits = match gateway.option("usage_limits") {
        Some(Param::List(items)) => items
            .iter()
            .filter_map(|item| usage_limit(item.as_map()?))
            .collect(),
        _ => Vec::new(),
    };
    (limits, span)
}

fn usage_limit(map: &BTreeMap<String, Param>) -> Option<UsageLimit<'_>> {
    let text = |key: &str| map.get(key).and_then(Param::as_str);
    let level = match text("scope")? {
        "gateway" => Level::Gateway,
        "team" => Level::Team {
            name: text("name")?,
            parent: text("parent"),
        },
        "app" => Level::App {
            name: text("name")?,
            team: text("team")?,
        },
        _ => return None,
    };
    Some(UsageLimit {
        level,
        meter: Meter::parse(text("kind")?)?,
        period: Period::parse(text("period")?)?,
        limit: map.get("limit")?.as_f64()?,
        warn_only: text("mode") == Some("warn"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{limit_entry, zuplo_gateway};
    use gwscript_plugin::testing::{list, literal, map, with_gateway_option};

    #[test]
    fn product_defaults_to_the_api_gateway() {
        let gateway = zuplo_gateway(vec![]);
        assert_eq!(Product::of(&gateway), Product::ApiGateway);
        let ai = with_gateway_option(gateway, "product", literal("ai-gateway"));
        assert_eq!(Product::of(&ai), Product::AiGateway);
        assert_eq!(Product::AiGateway.name(), "ai-gateway");
    }

    #[test]
    fn rate_limit_defaults_to_per_user() {
        let gateway = with_gateway_option(
            zuplo_gateway(vec![]),
            "rate_limit",
            map([("requests", literal(120)), ("window_minutes", literal(1))]),
        );
        assert_eq!(
            rate_limit(&gateway),
            Some(RateLimit {
                requests: 120,
                window_minutes: 1,
                by: "user"
            })
        );
        assert_eq!(rate_limit(&zuplo_gateway(vec![])), None);
    }

    #[test]
    fn usage_limits_read_every_level() {
        let gateway = with_gateway_option(
            zuplo_gateway(vec![]),
            "usage_limits",
            list([
                limit_entry(
                    &[
                        ("scope", "gateway"),
                        ("kind", "cost"),
                        ("period", "monthly"),
                    ],
                    1000.0,
                ),
                limit_entry(
                    &[
                        ("scope", "team"),
                        ("name", "platform"),
                        ("kind", "tokens"),
                        ("period", "daily"),
                        ("mode", "warn"),
                    ],
                    5e6,
                ),
                limit_entry(
                    &[
                        ("scope", "app"),
                        ("name", "claude-code"),
                        ("team", "platform"),
                        ("kind", "requests"),
                        ("period", "daily"),
                    ],
                    2000.0,
                ),
            ]),
        );
        let (limits, span) = usage_limits(&gateway);
        assert!(span.is_some());
        let levels: Vec<&Level> = limits.iter().map(|l| &l.level).collect();
        assert_eq!(
            levels,
            [
                &Level::Gateway,
                &Level::Team {
                    name: "platform",
                    parent: None
                },
                &Level::App {
                    name: "claude-code",
                    team: "platform"
                },
            ]
        );
        assert!(limits[1].warn_only && !limits[0].warn_only);
        assert_eq!(
            limits[0].describe(),
            "the gateway monthly limit of $1000 (USD)"
        );
        assert_eq!(
            limits[2].describe(),
            "app `claude-code` daily limit of 2000 requests"
        );
        assert_eq!(limits[2].level.parent_team(), Some("platform"));
    }
}
