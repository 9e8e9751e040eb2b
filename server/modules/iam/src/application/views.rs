//! The wire views of identity's results, shared by both doors (REST handlers and server
//! functions).

use contracts::auth::UserView;

use crate::domain::user::User;

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.to_string(),
            email: user.email.clone(),
            name: user.name.clone(),
            email_verified: user.email_verified_at.is_some(),
            locale: user.locale,
            avatar_url: None,
        }
    }
}
