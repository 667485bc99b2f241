//! Median, minimum and maximum of repeated measurements.

/// Median, minimum and maximum of a set of measurements.
pub(super) struct Stats {
    pub(super) median: f64,
    pub(super) min: f64,
    pub(super) max: f64,
}

/// The [`Stats`] of `v`; `None` when it is empty.
pub(super) fn stats(mut v: Vec<f64>) -> Option<Stats> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(Stats {
        median,
        min: v[0],
        max: v[n - 1],
    })
}

/// The median of `v` (NaN when it is empty: the ratio it enters then reads NaN, not a figure).
pub(super) fn median(v: &[f64]) -> f64 {
    stats(v.to_vec()).map(|s| s.median).unwrap_or(f64::NAN)
}
