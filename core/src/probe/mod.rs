//! Live conformance probes and the mock providers they use as upstream.

pub mod check;
pub mod mock;
