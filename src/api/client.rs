use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{Request, Response};
use gws_protocol::{ImSession, ImSessionList};
use web_sys::RequestCredentials;

use super::{decode_reply, Error};

/// The GWS REST API at one base URL (`/api/v2` on the page's origin by default).
#[derive(Clone)]
pub struct ApiClient {
    base: Rc<str>,
    /// The CSRF header name and token the server named on its last GET.
    csrf: Rc<RefCell<Option<(String, String)>>>,
}

impl ApiClient {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').into(),
            csrf: Rc::default(),
        }
    }

    /// `GET {base}/me/im-sessions?fields=*`.
    pub async fn list_sessions(&self) -> Result<Vec<ImSession>, Error> {
        let list: ImSessionList = self.get("/me/im-sessions?fields=*").await?;
        Ok(list.im_sessions)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let response = Request::get(&format!("{}{path}", self.base))
            .credentials(RequestCredentials::Include)
            .send()
            .await
            .map_err(|err| Error::Network(err.to_string()))?;
        self.remember_csrf(&response);
        Self::read(response).await
    }

    fn remember_csrf(&self, response: &Response) {
        let headers = response.headers();
        if let (Some(name), Some(token)) =
            (headers.get("X-CSRF-HEADER"), headers.get("X-CSRF-TOKEN"))
        {
            *self.csrf.borrow_mut() = Some((name, token));
        }
    }

    async fn read<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, Error> {
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|err| Error::Network(err.to_string()))?;
        decode_reply(status, &body)
    }
}
