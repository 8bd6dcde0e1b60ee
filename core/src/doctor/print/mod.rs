//! How doctor prints what it found: for people (`human`: each value with its origin, then the
//! findings with their source lines) and for tools (`json`).

mod human;
mod json;

use super::Report;

pub use human::human;
pub use json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

impl Format {
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Human => human(report),
            Format::Json => json(report),
        }
    }
}
