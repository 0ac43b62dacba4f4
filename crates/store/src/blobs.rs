//! App blobs (the uploaded bytes), in a local directory or in S3, through `object_store`.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, path::Path};

use crate::{Result, StoreError};

/// Where app bytes live, keyed by SHA-256.
#[derive(Clone, Debug)]
pub(crate) struct Blobs {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl Blobs {
    /// `s3://bucket/prefix` (credentials and region from the usual `AWS_*` variables), or a
    /// directory (`file:///dir` or a plain path; created if missing).
    pub(crate) fn open(url: &str) -> Result<Blobs> {
        let bad = |reason: String| StoreError::BadUrl {
            url: url.to_owned(),
            reason,
        };
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("no bucket name".into()));
            }
            // object_store is built without a default TLS provider; install ring once. ring is
            // deprecated in rustls 0.23.48 (no post-quantum key exchange) but aws-lc-rs costs a
            // long C build (see shared notes §6); revisit when S3 is deployed.
            #[allow(deprecated)]
            let _ = rustls::crypto::ring::default_provider().install_default();
            let s3 = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map_err(|e| bad(e.to_string()))?;
            return Ok(Blobs {
                store: Arc::new(s3),
                prefix: prefix.trim_matches('/').to_owned(),
            });
        }
        if url.contains("://") && !url.starts_with("file://") {
            return Err(bad("blobs must be a directory, file:// or s3:// URL".into()));
        }
        let dir = url.strip_prefix("file://").unwrap_or(url);
        if dir.is_empty() {
            return Err(bad("empty directory".into()));
        }
        std::fs::create_dir_all(dir).map_err(|e| bad(format!("cannot create directory: {e}")))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| bad(e.to_string()))?;
        Ok(Blobs {
            store: Arc::new(fs),
            prefix: String::new(),
        })
    }

    /// `apps/ab/abcdef…`: two-level fan-out keeps directories small. `sha256` is checked by the caller.
    fn path(&self, sha256: &str) -> Path {
        let fan = sha256.get(..2).unwrap_or("00");
        if self.prefix.is_empty() {
            Path::from(format!("apps/{fan}/{sha256}"))
        } else {
            Path::from(format!("{}/apps/{fan}/{sha256}", self.prefix))
        }
    }

    /// Writes the bytes (overwriting: same key, same content).
    pub(crate) async fn put(&self, sha256: &str, bytes: Bytes) -> Result<()> {
        self.store
            .put(&self.path(sha256), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// Reads the bytes; `None` if absent.
    pub(crate) async fn get(&self, sha256: &str) -> Result<Option<Bytes>> {
        match self.store.get(&self.path(sha256)).await {
            Ok(got) => Ok(Some(got.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
