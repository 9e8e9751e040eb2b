//! Search as you type, and "load more", for the console's lists.
//!
//! The search text lives in the URL (`?q=`): a search can be shared or reloaded, and the server
//! renders its first page. Typing rewrites the URL (replacing the history entry) a moment after
//! the last keystroke, which reloads the list. Without JavaScript the box is a plain GET form.

use std::future::Future;
use std::time::Duration;

use contracts::ApiError;
use contracts::links::Page;
use contracts::next::encode_query_value as urlencode;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

/// How long typing must pause before the list follows.
const SETTLE: Duration = Duration::from_millis(250);

/// The search text in the URL (`?q=`), trimmed; `None` when blank.
pub fn use_search() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("q")).map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()))
}

/// `path` with `q` as its search.
fn searched(path: &str, q: &str) -> String {
    let q = q.trim();
    if q.is_empty() { path.to_owned() } else { format!("{path}?q={}", urlencode(q)) }
}

/// The search box of the list at `path`.
#[component]
pub fn SearchBox(
    path: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let initial = use_query_map().with_untracked(|q| q.get("q")).unwrap_or_default();
    let navigate = use_navigate();
    let ticket = StoredValue::new(0_u64);
    let go_to = {
        let navigate = navigate.clone();
        move |q: &str| {
            let options = NavigateOptions { replace: true, scroll: false, ..NavigateOptions::default() };
            navigate(&searched(path, q), options);
        }
    };
    let on_input = {
        let go_to = go_to.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let mine = ticket.get_value() + 1;
            ticket.set_value(mine);
            let go_to = go_to.clone();
            set_timeout(
                move || {
                    if ticket.try_get_value() == Some(mine) {
                        go_to(&value);
                    }
                },
                SETTLE,
            );
        }
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ticket.update_value(|t| *t += 1);
        if let Some(input) = input.get_untracked() {
            go_to(&input.value());
        }
    };
    view! {
        <form class="adm-search" role="search" method="get" action=path on:submit=on_submit>
            <label for="adm-q">{label}</label>
            <input id="adm-q" name="q" type="search" autocomplete="off" spellcheck="false" value=initial
                aria-describedby=hint.map(|_| "adm-q-hint") node_ref=input on:input=on_input />
            {hint.map(|h| view! { <p id="adm-q-hint" class="hint">{h}</p> })}
        </form>
    }
}

/// A list's pages after the first (which a resource loads): appended by "Load more", forgotten
/// when the search changes.
#[derive(Debug)]
pub struct More<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    /// Where the next page starts: `None` until "Load more" was used (the first page says).
    pub next: RwSignal<Option<Option<String>>>,
    pub loading: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for More<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for More<T> {}

impl<T: Clone + Send + Sync + 'static> More<T> {
    /// Empty; cleared whenever `reset` changes.
    pub fn new(reset: impl Fn() + 'static) -> Self {
        let more = Self {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
        };
        Effect::new(move |_| {
            reset();
            more.items.set(Vec::new());
            more.next.set(None);
        });
        more
    }

    /// The cursor of the page after everything shown, given the first page's.
    pub fn cursor(&self, first: Option<String>) -> Option<String> {
        self.next.get().unwrap_or(first)
    }

    /// Fetches the page at `cursor` and appends it; a failure goes to `failed`.
    pub fn load<Fut>(self, fetch: Fut, failed: impl Fn(ApiError) + 'static)
    where
        Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
    {
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            match fetch.await {
                Ok(page) => {
                    self.items.try_update(|items| items.extend(page.items));
                    self.next.try_set(Some(page.next_cursor));
                }
                Err(err) => failed(err),
            }
            self.loading.try_set(false);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::searched;

    #[test]
    fn search_urls() {
        assert_eq!(searched("/admin/users", "  "), "/admin/users");
        assert_eq!(searched("/admin/users", " ana pérez "), "/admin/users?q=ana%20p%C3%A9rez");
    }
}
