//! How long each kind of data is kept (docs/privacy.md): a window per kind, 90 days
//! unless the site says otherwise; what falls outside is purged every hour, each purge
//! written to the audit log. Pure: the windows and the cut-offs they give.

use serde::{Deserialize, Serialize};

/// The windows, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Windows {
    /// Closed live chats: the conversation and its messages.
    pub transcripts_days: i64,
    /// Leads with no activity (nothing captured, no run, chat or meeting) since.
    pub leads_days: i64,
    /// Raw activity (runs and their marks) and webhook messages; daily counts stay.
    pub events_days: i64,
    /// Meetings that ended, with their emails.
    pub meetings_days: i64,
}

pub const DEFAULT_DAYS: i64 = 90;
/// The longest window: ten years.
pub const MAX_DAYS: i64 = 3_650;

impl Default for Windows {
    fn default() -> Self {
        Windows {
            transcripts_days: DEFAULT_DAYS,
            leads_days: DEFAULT_DAYS,
            events_days: DEFAULT_DAYS,
            meetings_days: DEFAULT_DAYS,
        }
    }
}

/// The kinds, by their names in the audit log and the API.
pub const KINDS: [&str; 4] = ["transcripts", "leads", "events", "meetings"];

impl Windows {
    /// Every window out of 1 to 10 years' days, named.
    pub fn problems(&self) -> Vec<String> {
        self.days()
            .into_iter()
            .filter(|(_, d)| !(1..=MAX_DAYS).contains(d))
            .map(|(kind, _)| format!("{kind}_days: keep 1 to {MAX_DAYS} days"))
            .collect()
    }

    pub fn days(&self) -> [(&'static str, i64); 4] {
        [
            ("transcripts", self.transcripts_days),
            ("leads", self.leads_days),
            ("events", self.events_days),
            ("meetings", self.meetings_days),
        ]
    }

    /// Each kind's cut-off in ms: what is older goes.
    pub fn cutoffs(&self, now_ms: i64) -> [(&'static str, i64); 4] {
        self.days()
            .map(|(kind, days)| (kind, now_ms - days * 24 * 3600 * 1000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_default_to_90_days_and_stay_within_ten_years() {
        let w = Windows::default();
        assert!(w.problems().is_empty());
        assert_eq!(w.cutoffs(100 * 86_400_000)[0], ("transcripts", 10 * 86_400_000));
        let bad = Windows {
            leads_days: 0,
            meetings_days: 4000,
            ..w
        };
        assert_eq!(
            bad.problems(),
            [
                "leads_days: keep 1 to 3650 days",
                "meetings_days: keep 1 to 3650 days"
            ]
        );
    }
}
