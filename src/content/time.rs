//! Dates and times as authored: local to the site's time zone, never UTC.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The time zone used when a site does not name one.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// A local date-time in the site's time zone.
///
/// Authored as a TOML date (`2025-03-01`), a TOML local date-time
/// (`2025-03-01T09:00:00`), or a string of either form (`"2025-03-01 09:00"`).
/// A bare date means the start of that day, except for [`EndBound`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(pub NaiveDateTime);

/// An inclusive end bound: a bare date means the end of that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EndBound(pub NaiveDateTime);

impl LocalTime {
    /// The calendar date.
    pub fn date(self) -> NaiveDate {
        self.0.date()
    }

    /// Midnight at the start of `date`.
    pub fn from_date(date: NaiveDate) -> Self {
        LocalTime(date.and_time(NaiveTime::MIN))
    }
}

/// Converts an instant to the site's local wall-clock time.
pub fn to_local(now: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    zone.from_utc_datetime(&now.naive_utc()).naive_local()
}

/// Parses the accepted textual forms; `end_of_day` decides what a bare date means.
pub fn parse_local(text: &str, end_of_day: bool) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(moment) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(moment);
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        format!("`{text}` is not a date: write YYYY-MM-DD or YYYY-MM-DD HH:MM (site local time)")
    })?;
    let time = if end_of_day {
        NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
    } else {
        NaiveTime::MIN
    };
    Ok(date.and_time(time))
}

fn serialize_moment<S: Serializer>(
    moment: &NaiveDateTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&moment.format("%Y-%m-%dT%H:%M:%S"))
}

struct MomentVisitor {
    end_of_day: bool,
}

/// The private key under which the `toml` deserializer hands out its date-times.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Visitor<'de> for MomentVisitor {
    type Value = NaiveDateTime;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a local date (YYYY-MM-DD) or date-time (YYYY-MM-DD HH:MM)")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse_local(value, self.end_of_day).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == TOML_DATETIME_KEY => {
                let text: String = map.next_value()?;
                if text.contains('Z')
                    || text.contains('+')
                    || text[10.min(text.len())..].contains('-')
                {
                    return Err(de::Error::custom(format!(
                        "`{text}` has a UTC offset: write site local time without an offset"
                    )));
                }
                parse_local(&text, self.end_of_day).map_err(de::Error::custom)
            }
            _ => Err(de::Error::custom("expected a date")),
        }
    }
}

macro_rules! moment_serde {
    ($name:ident, $end:expr) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_moment(&self.0, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_any(MomentVisitor { end_of_day: $end })
                    .map($name)
            }
        }
    };
}

moment_serde!(LocalTime, false);
moment_serde!(EndBound, true);

/// Serde helpers for a time zone named by its IANA id (`Asia/Shanghai`).
pub mod zone_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer, de};

    /// Writes the IANA name.
    pub fn serialize<S: Serializer>(zone: &Tz, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(zone.name())
    }

    /// Reads an IANA name, rejecting unknown zones.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse::<Tz>().map_err(|_| {
            de::Error::custom(format!(
                "unknown time zone `{name}` (use an IANA name like Asia/Shanghai)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_end_date_covers_the_whole_day() {
        let end: EndBound = serde_json::from_str(r#""2025-03-01""#).unwrap();
        assert_eq!(end.0.to_string(), "2025-03-01 23:59:59");
        let start: LocalTime = serde_json::from_str(r#""2025-03-01""#).unwrap();
        assert_eq!(start.0.to_string(), "2025-03-01 00:00:00");
    }

    #[test]
    fn toml_dates_and_strings_are_accepted() {
        #[derive(Deserialize)]
        struct Doc {
            a: LocalTime,
            b: LocalTime,
            c: EndBound,
        }
        let doc: Doc =
            toml::from_str("a = 2025-03-01T09:30:00\nb = \"2025-03-02 08:00\"\nc = 2025-04-01")
                .unwrap();
        assert_eq!(doc.a.0.to_string(), "2025-03-01 09:30:00");
        assert_eq!(doc.b.0.to_string(), "2025-03-02 08:00:00");
        assert_eq!(doc.c.0.to_string(), "2025-04-01 23:59:59");
    }

    #[test]
    fn offsets_and_nonsense_are_rejected_with_a_hint() {
        let error = toml::from_str::<std::collections::BTreeMap<String, LocalTime>>(
            "a = 2025-03-01T09:30:00Z",
        )
        .unwrap_err();
        assert!(error.to_string().contains("UTC offset"), "{error}");
        let error = serde_json::from_str::<LocalTime>(r#""2025-13-01""#).unwrap_err();
        assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
    }

    #[test]
    fn local_time_uses_the_site_zone_not_utc() {
        let utc = Utc.with_ymd_and_hms(2025, 3, 1, 17, 0, 0).unwrap();
        assert_eq!(
            to_local(utc, DEFAULT_TIME_ZONE).to_string(),
            "2025-03-02 01:00:00"
        );
    }
}
