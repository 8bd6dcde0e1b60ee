//! Capability checks: what Zuplo cannot do with the recipe, what it would refuse, and what would
//! leak or silently not apply. One module per concern; each returns its own diagnostics.

pub mod codes;
mod deployments;
mod products;
mod upstream;
mod usage_limits;

use crate::options::Product;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn run(gateway: &Gateway) -> Vec<Diagnostic> {
    let product = Product::of(gateway);
    let mut diagnostics = products::check(gateway, product);
    diagnostics.extend(deployments::check(gateway, product));
    match product {
        Product::ApiGateway => diagnostics.extend(upstream::check(gateway)),
        Product::AiGateway => diagnostics.extend(usage_limits::check(gateway)),
    }
    diagnostics
}
