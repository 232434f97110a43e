//! How a catalog is split into repository targets, and joined back.
//!
//! Items are grouped by kind into shards chosen by a stable hash of their
//! id, so changing one notice in a 10,000-item catalog rewrites one shard
//! of a few dozen items, not the catalog. The TUF targets metadata lists
//! every shard with its hash and length; with consistent snapshots the
//! files are stored under their hash, so shards are content-addressed.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::content::Catalog;
use crate::content::model::{
    AssetInfo, CATALOG_FORMAT, Channel, Document, Faq, Notice, ServiceGuide, Site, Venue,
};

/// Prefix of every catalog target.
pub const CATALOG_PREFIX: &str = "catalog/";

/// The target holding the site and the catalog format.
pub const SITE_TARGET: &str = "catalog/site.json";

/// Average items per shard the layout aims for.
const ITEMS_PER_SHARD: usize = 32;

/// Most shards per kind.
const MAX_SHARDS: usize = 256;

/// The site target's content.
#[derive(Debug, Serialize, Deserialize)]
struct SiteTarget {
    format: u32,
    site: Site,
    assets: BTreeMap<String, AssetInfo>,
}

/// A catalog that could not be put back together.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// A required target is missing.
    #[error("the repository has no {0}")]
    Missing(&'static str),
    /// A target is not the JSON expected.
    #[error("target {name} is not valid catalog JSON: {source}")]
    Json {
        /// The target.
        name: String,
        /// Why.
        source: serde_json::Error,
    },
    /// The catalog was written by a newer format.
    #[error(
        "catalog format {found} is newer than this kiosk understands ({supported}); update the kiosk"
    )]
    Format {
        /// Format in the repository.
        found: u32,
        /// Format this build reads.
        supported: u32,
    },
}

/// Number of shards for `count` items: a power of two, so it changes rarely.
pub fn shard_count(count: usize) -> usize {
    count
        .div_ceil(ITEMS_PER_SHARD)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS)
}

/// The shard an id falls into.
pub fn shard_of(id: &str, shards: usize) -> usize {
    let digest = Sha256::digest(id.as_bytes());
    let value = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    value as usize % shards.max(1)
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing our own types to a Vec cannot fail (no maps with non-string keys).
    serde_json::to_vec(value).unwrap_or_default()
}

fn shard_items<T: Serialize>(
    kind: &str,
    items: &[T],
    id: impl Fn(&T) -> &str,
    out: &mut BTreeMap<String, Vec<u8>>,
) {
    let shards = shard_count(items.len());
    let mut buckets: Vec<Vec<&T>> = (0..shards).map(|_| Vec::new()).collect();
    for item in items {
        buckets[shard_of(id(item), shards)].push(item);
    }
    for (index, bucket) in buckets
        .into_iter()
        .enumerate()
        .filter(|(_, b)| !b.is_empty())
    {
        out.insert(
            format!("{CATALOG_PREFIX}{kind}/{shards}-{index:03}.json"),
            to_json(&bucket),
        );
    }
}

/// Splits a catalog into targets (name → bytes).
pub fn split(catalog: &Catalog) -> BTreeMap<String, Vec<u8>> {
    let mut targets = BTreeMap::new();
    let site = SiteTarget {
        format: catalog.format,
        site: catalog.site.clone(),
        assets: catalog.assets.clone(),
    };
    targets.insert(SITE_TARGET.to_owned(), to_json(&site));
    shard_items(
        "notices",
        &catalog.notices,
        |n: &Notice| &n.id,
        &mut targets,
    );
    shard_items(
        "guides",
        &catalog.guides,
        |g: &ServiceGuide| &g.id,
        &mut targets,
    );
    shard_items(
        "documents",
        &catalog.documents,
        |d: &Document| &d.id,
        &mut targets,
    );
    shard_items("faqs", &catalog.faqs, |f: &Faq| &f.id, &mut targets);
    shard_items("venues", &catalog.venues, |v: &Venue| &v.id, &mut targets);
    shard_items(
        "channels",
        &catalog.channels,
        |c: &Channel| &c.id,
        &mut targets,
    );
    targets
}

fn parse<T: DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<T, LayoutError> {
    serde_json::from_slice(bytes).map_err(|source| LayoutError::Json {
        name: name.to_owned(),
        source,
    })
}

fn gather<T: DeserializeOwned>(
    kind: &str,
    targets: &BTreeMap<String, Vec<u8>>,
) -> Result<Vec<T>, LayoutError> {
    let prefix = format!("{CATALOG_PREFIX}{kind}/");
    let mut items = Vec::new();
    for (name, bytes) in targets
        .range(prefix.clone()..)
        .take_while(|(name, _)| name.starts_with(&prefix))
    {
        items.extend(parse::<Vec<T>>(name, bytes)?);
    }
    Ok(items)
}

/// Joins targets back into a catalog, in the catalog's usual order.
pub fn join(targets: &BTreeMap<String, Vec<u8>>) -> Result<Catalog, LayoutError> {
    let site_bytes = targets
        .get(SITE_TARGET)
        .ok_or(LayoutError::Missing("catalog/site.json"))?;
    let site: SiteTarget = parse(SITE_TARGET, site_bytes)?;
    if site.format > CATALOG_FORMAT {
        return Err(LayoutError::Format {
            found: site.format,
            supported: CATALOG_FORMAT,
        });
    }
    let mut catalog = Catalog {
        format: site.format,
        site: site.site,
        notices: gather("notices", targets)?,
        guides: gather("guides", targets)?,
        documents: gather("documents", targets)?,
        faqs: gather("faqs", targets)?,
        venues: gather("venues", targets)?,
        channels: gather("channels", targets)?,
        assets: site.assets,
        items: Default::default(),
    };
    catalog.sort();
    Ok(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::demo;

    #[test]
    fn split_and_join_round_trip() {
        let catalog = demo::catalog();
        let targets = split(&catalog);
        assert!(targets.keys().all(|name| name.starts_with(CATALOG_PREFIX)));
        assert_eq!(join(&targets).unwrap(), catalog);
    }

    #[test]
    fn changing_one_item_changes_one_shard() {
        let mut catalog = demo::catalog();
        let before = split(&catalog);
        catalog.notices[3].meta.revision += 1;
        let after = split(&catalog);
        let changed: Vec<&String> = after
            .keys()
            .filter(|name| before.get(*name) != after.get(*name))
            .collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(changed[0].starts_with("catalog/notices/"));
    }

    #[test]
    fn shard_counts_grow_by_powers_of_two() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(16), 1);
        assert_eq!(shard_count(33), 2);
        assert_eq!(shard_count(10_000), 512.min(MAX_SHARDS));
    }

    #[test]
    fn missing_site_and_newer_format_are_clear_errors() {
        let mut targets = split(&demo::catalog());
        let site = targets.remove(SITE_TARGET).unwrap();
        assert_eq!(
            join(&targets).unwrap_err().to_string(),
            "the repository has no catalog/site.json"
        );
        let mut value: serde_json::Value = serde_json::from_slice(&site).unwrap();
        value["format"] = serde_json::json!(CATALOG_FORMAT + 1);
        targets.insert(SITE_TARGET.into(), serde_json::to_vec(&value).unwrap());
        assert!(
            join(&targets)
                .unwrap_err()
                .to_string()
                .contains("update the kiosk")
        );
    }
}
