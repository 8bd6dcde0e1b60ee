//! The Hello Gateway against Claude Code's compatibility criteria, and what it offers besides.
//! The gateway is fictional, so no fact here has a public source: each says "unverified".

use gwscript_plugin::manifest::{Assessment, Criterion, Feature, Support};

const SOURCE: &str = "unverified: a fictional example gateway";

fn assess<T>(id: T, status: Support, note: &str) -> Assessment<T> {
    Assessment {
        id,
        status,
        source: SOURCE.into(),
        note: note.into(),
    }
}

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    use Criterion::*;
    use Support::*;
    vec![
        assess(MessagesApi, Yes, ""),
        assess(HeaderForwarding, Yes, ""),
        assess(BodyPreserved, Yes, ""),
        assess(StatusCodes, Yes, ""),
        assess(SseStreaming, Yes, ""),
        assess(
            BearerAuth,
            No,
            "clients authenticate with the x-hello-key header, not Authorization: Bearer",
        ),
        assess(
            LongTimeouts,
            DependsOnConfig,
            "whatever load balancer is in front of the gateway must allow 300 s or more",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    use Feature::*;
    use Support::*;
    vec![
        assess(ConfigAsFiles, Yes, "hello/gateway.json"),
        assess(RateLimits, No, ""),
        assess(Fallbacks, No, ""),
        assess(BedrockBackend, No, ""),
        assess(VertexBackend, No, ""),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_seven_criteria_are_assessed_once_with_a_note_where_it_depends() {
        let criteria = compatibility();
        assert_eq!(criteria.len(), 7);
        for (i, a) in criteria.iter().enumerate() {
            assert!(
                criteria[..i].iter().all(|b| b.id != a.id),
                "{:?} twice",
                a.id
            );
            assert!(a.id != Criterion::Other);
            assert!(a.source.starts_with("unverified"));
            if a.status != Support::Yes {
                assert!(!a.note.is_empty(), "{:?} needs a note", a.id);
            }
        }
    }
}
