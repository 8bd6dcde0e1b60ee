//! Names of host features a plugin may list in its manifest's `requires`.
//!
//! Everything in ABI 2 with JSON version 1 is the baseline and needs no entry. A feature added
//! later gets a name here; a plugin that cannot work without it lists the name, and a host that
//! predates it refuses the plugin instead of misbehaving.

/// Features every ABI 2 host offers.
pub const BASELINE: &[&str] = &[
    "option-schemas",
    "client-contract",
    "report-contributions",
    "diagnostic-pages",
    "template-purposes",
];

/// Plugins used as monitors (`PluginRole::Monitor`, `pattern(…, #{ monitors: [ … ] })`): a plugin
/// that can only monitor lists it, so a host that predates roles refuses it instead of using it
/// as a gateway.
pub const MONITORS: &str = "monitors";

/// The features added since the baseline, in the order they were added.
pub const ADDED: &[&str] = &[MONITORS];

/// Every feature a host built with this SDK offers: the baseline, then the features added since.
pub fn offered() -> impl Iterator<Item = &'static str> {
    BASELINE.iter().chain(ADDED).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_offers_the_baseline_and_every_later_feature_once() {
        let offered: Vec<&str> = offered().collect();
        assert_eq!(offered.len(), BASELINE.len() + ADDED.len());
        assert!(offered.contains(&MONITORS) && !BASELINE.contains(&MONITORS));
        let unique: std::collections::BTreeSet<&str> = offered.iter().copied().collect();
        assert_eq!(unique.len(), offered.len());
    }
}
