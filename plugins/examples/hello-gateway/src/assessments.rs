//! The Hello Gateway against Claude Code's compatibility criteria, and what it offers besides.
//! The gateway is fictional, so no fact here has a public source: each says "unverified".

use gwscript_plugin::manifest::{Assessment, Criterion, Feature};

const SOURCE: &str = "unverified: a fictional example gateway";

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    use Criterion::*;
    vec![
        Assessment::yes(MessagesApi, SOURCE),
        Assessment::yes(HeaderForwarding, SOURCE),
        Assessment::yes(BodyPreserved, SOURCE),
        Assessment::yes(StatusCodes, SOURCE),
        Assessment::yes(SseStreaming, SOURCE),
        Assessment::no(BearerAuth, SOURCE)
            .note("clients authenticate with the x-hello-key header, not Authorization: Bearer"),
        Assessment::depends(
            LongTimeouts,
            SOURCE,
            "whatever load balancer is in front of the gateway must allow 300 s or more",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    use Feature::*;
    vec![
        Assessment::yes(ConfigAsFiles, SOURCE).note("hello/gateway.json"),
        Assessment::no(RateLimits, SOURCE),
        Assessment::no(Fallbacks, SOURCE),
        Assessment::no(BedrockBackend, SOURCE),
        Assessment::no(VertexBackend, SOURCE),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::manifest::Support;
    use gwscript_plugin::testing::assert_assessments;

    #[test]
    fn all_seven_criteria_are_assessed_once_with_a_note_where_it_depends() {
        assert_assessments(&compatibility(), &features());
        for a in compatibility() {
            assert!(a.source.starts_with("unverified"));
            if a.status != Support::Yes {
                assert!(!a.note.is_empty(), "{:?} needs a note", a.id);
            }
        }
    }
}
