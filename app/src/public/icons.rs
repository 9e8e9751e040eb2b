//! The public page's glyphs: small inline SVGs drawn in `currentColor` on a 24-unit grid (no icon
//! font, no request). Each is decorative (`aria-hidden`); the link around it carries the name.

use contracts::blocks::SocialNetwork;
use leptos::prelude::*;

/// The icon of a social network, 40 px square (the glyph itself about 32 px).
pub fn social(network: SocialNetwork) -> AnyView {
    let glyph = match network {
        SocialNetwork::Instagram => view! {
            <g fill="none" stroke="currentColor" stroke-width="2">
                <rect x="3" y="3" width="18" height="18" rx="5.5" />
                <circle cx="12" cy="12" r="4.2" />
            </g>
            <circle cx="17.3" cy="6.7" r="1.25" fill="currentColor" />
        }
        .into_any(),
        SocialNetwork::Tiktok => view! {
            <g fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round">
                <path d="M13.2 3.2v12.1a4.2 4.2 0 1 1-4.2-4.2" />
                <path d="M13.2 3.2c.5 3 2.6 4.9 5.8 5.1" />
            </g>
        }
        .into_any(),
        SocialNetwork::Youtube => view! {
            <path
                fill="currentColor"
                fill-rule="evenodd"
                d="M2.5 8.2c.1-1.7 1.4-3 3.1-3.1C7.7 5 9.8 4.9 12 4.9s4.3.1 6.4.2c1.7.1 3 1.4 3.1 3.1.1 1.3.2 2.5.2 3.8s-.1 2.5-.2 3.8c-.1 1.7-1.4 3-3.1 3.1-2.1.1-4.2.2-6.4.2s-4.3-.1-6.4-.2c-1.7-.1-3-1.4-3.1-3.1-.1-1.3-.2-2.5-.2-3.8s.1-2.5.2-3.8zM10 8.6v6.8l5.8-3.4z"
            />
        }
        .into_any(),
        SocialNetwork::Linkedin => view! {
            <path
                fill="currentColor"
                fill-rule="evenodd"
                d="M5.5 3h13A2.5 2.5 0 0 1 21 5.5v13a2.5 2.5 0 0 1-2.5 2.5h-13A2.5 2.5 0 0 1 3 18.5v-13A2.5 2.5 0 0 1 5.5 3zM7 10.2v7.3h2.5v-7.3zm1.25-4a1.45 1.45 0 1 0 0 2.9 1.45 1.45 0 0 0 0-2.9zM11 10.2v7.3h2.5v-3.9c0-1.1.6-1.8 1.5-1.8s1.4.6 1.4 1.8v3.9h2.5v-4.4c0-2.4-1.2-3.6-3.1-3.6-1.1 0-1.9.5-2.3 1.2v-1z"
            />
        }
        .into_any(),
        SocialNetwork::X => view! {
            <path fill="currentColor" d="M3.6 3.5h5l11.8 17h-5z" />
            <path
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                d="M19.4 3.8 13.5 10.5M10.6 13.6 4.6 20.3"
            />
        }
        .into_any(),
        SocialNetwork::Facebook => view! {
            <path
                fill="currentColor"
                fill-rule="evenodd"
                d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1.3 19.3v-7h2.3l.4-2.7h-2.7V9.9c0-.8.3-1.4 1.4-1.4h1.4V6.1c-.3 0-1.1-.1-2.1-.1-2.2 0-3.6 1.3-3.6 3.7v1.9H8.1v2.7h2.3v7z"
            />
        }
        .into_any(),
        SocialNetwork::Threads => view! {
            <path
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                d="M18.6 8C17.4 5 15 3.5 12 3.5 7 3.5 4 7 4 12s3 8.5 8 8.5c4 0 7-2.4 7-6 0-3-2.3-4.7-5.6-4.7-2.7 0-4.3 1.4-4.3 3.2 0 1.6 1.3 2.6 3 2.6 2.9 0 4.4-2.2 4.4-6.3"
            />
        }
        .into_any(),
        SocialNetwork::Spotify => view! {
            <g fill="none" stroke="currentColor" stroke-linecap="round">
                <circle cx="12" cy="12" r="9.5" stroke-width="2" />
                <path stroke-width="2.2" d="M7 9.6c3.4-1 7.3-.7 10.2 1" />
                <path stroke-width="1.9" d="M7.6 12.8c2.8-.8 5.8-.5 8.2.9" />
                <path stroke-width="1.6" d="M8.3 15.7c2.1-.6 4.3-.4 6.1.6" />
            </g>
        }
        .into_any(),
        SocialNetwork::Website => view! {
            <g fill="none" stroke="currentColor" stroke-width="1.8">
                <circle cx="12" cy="12" r="9" />
                <ellipse cx="12" cy="12" rx="3.8" ry="9" />
                <path d="M3.5 9h17M3.5 15h17" />
            </g>
        }
        .into_any(),
    };
    view! {
        <svg
            class="icon"
            width="40"
            height="40"
            viewBox="-3 -3 30 30"
            aria-hidden="true"
            focusable="false"
        >
            {glyph}
        </svg>
    }
    .into_any()
}

/// WhatsApp's speech bubble with a handset.
pub fn whatsapp() -> impl IntoView {
    view! {
        <svg class="glyph" width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                fill="none"
                stroke="currentColor"
                stroke-width="1.9"
                stroke-linejoin="round"
                d="M12 3.1a8.9 8.9 0 0 0-7.7 13.3L3 21l4.7-1.2A8.9 8.9 0 1 0 12 3.1z"
            />
            <path
                fill="currentColor"
                d="M9.2 7.7c-.2-.4-.4-.4-.6-.4h-.5c-.2 0-.5.1-.8.4-.3.3-1 1-1 2.3s1 2.6 1.1 2.8c.2.2 1.9 3 4.7 4.1 2.3.9 2.8.7 3.3.7s1.6-.7 1.9-1.3c.2-.6.2-1.2.2-1.3-.1-.1-.3-.2-.5-.3l-1.8-.9c-.3-.1-.4-.1-.6.1l-.8 1c-.2.2-.3.2-.6.1-.3-.1-1.1-.4-2-1.2-.8-.7-1.3-1.5-1.4-1.8-.2-.3 0-.4.1-.6l.4-.5.3-.5c.1-.2 0-.3 0-.5z"
            />
        </svg>
    }
}

/// A payment card, for checkout buttons.
pub fn card() -> impl IntoView {
    view! {
        <svg class="glyph" width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <g fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round">
                <rect x="2.8" y="5.2" width="18.4" height="13.6" rx="2.6" />
                <path d="M2.8 9.8h18.4M6.6 15h3.6" />
            </g>
        </svg>
    }
}

/// A calendar page, for booking buttons.
pub fn calendar() -> impl IntoView {
    view! {
        <svg class="glyph" width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <g fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round">
                <rect x="3.4" y="5" width="17.2" height="15.6" rx="2.6" />
                <path d="M3.4 10h17.2M8 3v4M16 3v4" />
            </g>
            <circle cx="12" cy="15" r="1.5" fill="currentColor" />
        </svg>
    }
}

/// A tick in a circle, for a lead form's thank-you.
pub fn check() -> impl IntoView {
    view! {
        <svg class="done-glyph" width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="11" fill="currentColor" />
            <path
                class="done-tick"
                fill="none"
                stroke="#fff"
                stroke-width="2.4"
                stroke-linecap="round"
                stroke-linejoin="round"
                d="M7.2 12.4l3.2 3.2 6.4-6.8"
            />
        </svg>
    }
}
