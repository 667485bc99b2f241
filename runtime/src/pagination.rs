//! Following `next_token` to the end.

use std::collections::VecDeque;
use std::future::Future;

use futures::Stream;

use crate::error::Error;
use crate::meta::ErrorCode;

/// A list response that can be continued with `next_token`.
/// The generator implements it for list responses that carry `next_token`.
pub trait Page {
    /// One element of the list.
    type Item;
    /// Token for the next page; `None` (or empty) on the last page.
    fn next_token(&self) -> Option<&str>;
    /// The elements of this page.
    fn into_items(self) -> Vec<Self::Item>;
    /// Token for incremental sync (`sync_token`), if the response carries one.
    fn sync_token(&self) -> Option<&str> {
        None
    }
}

enum Cursor {
    Start,
    Next(String),
    Done,
}

/// Stream every page: calls `fetch(None)`, then `fetch(Some(next_token))` while the
/// server returns a new, non-empty `next_token`. Stops after the first error.
///
/// A page whose `next_token` equals the token that fetched it ends the stream
/// (the server is not advancing; following it would loop forever).
pub fn paginate_pages<P, E, F, Fut>(fetch: F) -> impl Stream<Item = Result<P, Error<E>>>
where
    P: Page,
    E: ErrorCode,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    futures::stream::unfold((fetch, Cursor::Start), |(mut fetch, cursor)| async move {
        let sent = match cursor {
            Cursor::Done => return None,
            Cursor::Start => None,
            Cursor::Next(t) => Some(t),
        };
        match fetch(sent.clone()).await {
            Ok(page) => {
                let next = match page.next_token() {
                    Some(t) if !t.is_empty() && Some(t) != sent.as_deref() => {
                        Cursor::Next(t.to_owned())
                    }
                    _ => Cursor::Done,
                };
                Some((Ok(page), (fetch, next)))
            }
            Err(e) => Some((Err(e), (fetch, Cursor::Done))),
        }
    })
}

/// Stream every item of every page (see [`paginate_pages`]).
pub fn paginate<P, E, F, Fut>(fetch: F) -> impl Stream<Item = Result<P::Item, Error<E>>>
where
    P: Page,
    E: ErrorCode,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    use futures::StreamExt;
    paginate_pages(fetch).flat_map(|page| {
        let items: VecDeque<Result<P::Item, Error<E>>> = match page {
            Ok(p) => p.into_items().into_iter().map(Ok).collect(),
            Err(e) => VecDeque::from([Err(e)]),
        };
        futures::stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    struct P(Vec<u32>, Option<&'static str>);
    impl Page for P {
        type Item = u32;
        fn next_token(&self) -> Option<&str> {
            self.1
        }
        fn into_items(self) -> Vec<u32> {
            self.0
        }
    }

    #[tokio::test]
    async fn paginate_follows_tokens_and_stops_on_repeat() {
        let mut calls = Vec::new();
        let items: Vec<u32> = paginate(|t: Option<String>| {
            calls.push(t.clone());
            async move {
                Ok::<_, Error<String>>(match t.as_deref() {
                    None => P(vec![1, 2], Some("a")),
                    Some("a") => P(vec![3], Some("b")),
                    // The server repeats the token: stop rather than loop.
                    _ => P(vec![4], Some("b")),
                })
            }
        })
        .map(|r| r.unwrap())
        .collect()
        .await;
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(calls, [None, Some("a".into()), Some("b".into())]);
    }

    #[tokio::test]
    async fn paginate_stops_after_error() {
        let results: Vec<_> = paginate(|t: Option<String>| async move {
            match t {
                None => Ok(P(vec![1], Some("a"))),
                Some(_) => Err(Error::<String>::Encode(
                    serde_json::from_str::<u8>("x").unwrap_err(),
                )),
            }
        })
        .collect()
        .await;
        assert_eq!(results.len(), 2);
        assert!(matches!(results[0], Ok(1)));
        assert!(matches!(results[1], Err(Error::Encode(_))));
    }
}
