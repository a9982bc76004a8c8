-- Times to answer as daily histograms (docs/metrics.md): a card's median and p90 come
-- from a few hundred buckets instead of every raw mark, and outlive the raw marks' purge.
-- `bucket` is chinwag_server::data::metrics::bucket(ms): about 5 % wide. Portable SQL.
CREATE TABLE activity_times (
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    day TEXT NOT NULL,
    locale TEXT NOT NULL,
    known INTEGER NOT NULL,
    card TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (site_id, dialogue_id, version, day, locale, known, card, bucket)
);
