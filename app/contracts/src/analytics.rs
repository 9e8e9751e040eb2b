//! Page analytics on the wire: `GET /api/v1/links/pages/{id}/analytics?range=7d|30d|90d`.

use serde::{Deserialize, Serialize};

/// The ranges a report covers: the last 7, 30 or 90 UTC days, today included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Range {
    #[serde(rename = "7d")]
    Days7,
    #[serde(rename = "30d")]
    Days30,
    #[serde(rename = "90d")]
    Days90,
}

impl Range {
    /// Every range, shortest first.
    pub const ALL: [Self; 3] = [Self::Days7, Self::Days30, Self::Days90];

    /// The number of days covered.
    #[must_use]
    pub const fn days(self) -> u16 {
        match self {
            Self::Days7 => 7,
            Self::Days30 => 30,
            Self::Days90 => 90,
        }
    }

    /// The query-string form (`7d`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Days7 => "7d",
            Self::Days30 => "30d",
            Self::Days90 => "90d",
        }
    }
}

impl std::str::FromStr for Range {
    type Err = crate::Problem;

    /// # Errors
    /// [`Problem::OneOf`](crate::Problem::OneOf) `7d`, `30d`, `90d`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| crate::Problem::OneOf {
            choices: Self::ALL.into_iter().map(|r| r.as_str().to_owned()).collect(),
        })
    }
}

/// A page's numbers over a range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsReport {
    pub totals: Totals,
    /// Clicks per block over the range, most clicked first (blocks without clicks left out).
    pub blocks: Vec<BlockClicks>,
    /// One entry per day of the range, oldest first, zeros included.
    pub series: Vec<DayPoint>,
    /// Where visitors came from (the referring site's host), most views first, at most 10.
    pub referrers: Vec<Referrer>,
}

/// Totals over the range. Unique visitors are counted per day (visitor hashes rotate daily, by
/// design) and summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub views: u64,
    pub clicks: u64,
    pub unique_visitors: u64,
}

/// Clicks of one block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BlockClicks {
    pub block_id: String,
    pub clicks: u64,
}

/// One day of the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DayPoint {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub views: u64,
    pub clicks: u64,
}

/// Views that came from one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Referrer {
    pub host: String,
    pub views: u64,
}
