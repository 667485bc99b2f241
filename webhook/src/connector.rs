//! How a bot makes the clients its handlers call Cliq with (feature `client`): one per data
//! center, from the builder's credentials (`BotBuilder::credentials` / `cliq_client`).

use std::fmt;
use std::sync::{Arc, OnceLock};

use cliq_runtime::{ClientBuilder, DataCenter, TokenSource};

use crate::error::Rejection;

type MakeClient = dyn Fn(DataCenter) -> ClientBuilder + Send + Sync;

/// How a bot makes its clients: one per data center, made on first use and kept (connection
/// pool, token cache and limiter live as long as the bot).
#[derive(Clone)]
pub(crate) struct Connector {
    make: Arc<MakeClient>,
    clients: Arc<[OnceLock<Result<cliq_api::Client, String>>; DataCenter::ALL.len()]>,
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector").finish_non_exhaustive()
    }
}

impl Connector {
    /// Clients from `make`, given the request's data center.
    pub(crate) fn new(make: impl Fn(DataCenter) -> ClientBuilder + Send + Sync + 'static) -> Self {
        Connector {
            make: Arc::new(make),
            clients: Arc::new(std::array::from_fn(|_| OnceLock::new())),
        }
    }

    /// Clients with `token`, at the data center of each request.
    pub(crate) fn with_token(token: TokenSource) -> Self {
        Connector::new(move |dc| {
            cliq_runtime::Client::builder()
                .data_center(dc)
                .token(token.clone())
        })
    }

    /// The same clients, sent to `base_url` instead (the test kit's fake Cliq).
    #[cfg(feature = "testing")]
    pub(crate) fn redirected(&self, base_url: String) -> Self {
        let make = Arc::clone(&self.make);
        Connector::new(move |dc| make(dc).base_url(base_url.clone()))
    }

    pub(crate) fn client(&self, dc: DataCenter) -> Result<cliq_api::Client, Rejection> {
        let index = DataCenter::ALL.iter().position(|d| *d == dc).unwrap_or(0);
        let made = self.clients[index].get_or_init(|| {
            (self.make)(dc)
                .build()
                .map(cliq_api::Client::new)
                .map_err(|e| e.to_string())
        });
        made.clone().map_err(|e| {
            tracing::error!("cannot build the Cliq client for data center {dc}: {e}");
            Rejection::ClientUnavailable(format!("the Cliq client could not be built: {e}"))
        })
    }
}
