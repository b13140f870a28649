use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{Request, RequestBuilder, Response};
use gws_protocol::{
    DeviceList, ImSession, ImSessionList, ImSessionOperation, InitiateImSession, StatusReply, User,
    UserReply,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::RequestCredentials;

use super::{decode_reply, Error};

/// The GWS REST API at one base URL (`/api/v2` on the page's origin by default).
///
/// Every request sends the session cookie (`credentials: include`); every POST carries the CSRF
/// header the server named on its last GET (GWS answers 403 without it when CSRF is on).
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

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The CSRF header pair to send with state-changing requests, once the server has named it.
    pub fn csrf_headers(&self) -> Vec<(String, String)> {
        self.csrf.borrow().iter().cloned().collect()
    }

    /// `GET {base}/me`: the signed-in agent.
    pub async fn me(&self) -> Result<User, Error> {
        let reply: UserReply = self.get("/me").await?;
        Ok(reply.user)
    }

    /// `GET {base}/me/devices`: the path of the agent's IM device (the first device listed).
    pub async fn device_path(&self) -> Result<Option<String>, Error> {
        let list: DeviceList = self.get("/me/devices").await?;
        Ok(list
            .devices
            .iter()
            .find(|d| !d.id.trim().is_empty())
            .map(|d| d.path()))
    }

    /// `GET {base}/me/im-sessions?fields=*`.
    pub async fn list_sessions(&self) -> Result<Vec<ImSession>, Error> {
        let list: ImSessionList = self.get("/me/im-sessions?fields=*").await?;
        Ok(list.im_sessions)
    }

    /// `POST {base}/me/im-sessions/{id}` with an operation body.
    pub async fn operate(
        &self,
        session: &str,
        operation: &ImSessionOperation,
    ) -> Result<(), Error> {
        let path = format!("/me/im-sessions/{}", encode_segment(session));
        self.post(&path, operation).await
    }

    /// `POST {base}/me/im-sessions` with `InitiateIMSession`.
    pub async fn initiate(&self, request: &InitiateImSession) -> Result<(), Error> {
        self.post("/me/im-sessions", request).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let request =
            Request::get(&format!("{}{path}", self.base)).credentials(RequestCredentials::Include);
        let response = request
            .send()
            .await
            .map_err(|err| Error::Network(err.to_string()))?;
        self.remember_csrf(&response);
        read(response).await
    }

    async fn post(&self, path: &str, body: &impl Serialize) -> Result<(), Error> {
        let mut request: RequestBuilder =
            Request::post(&format!("{}{path}", self.base)).credentials(RequestCredentials::Include);
        for (name, value) in self.csrf_headers() {
            request = request.header(&name, &value);
        }
        let response = request
            .json(body)
            .map_err(|err| Error::Decode(err.to_string()))?
            .send()
            .await
            .map_err(|err| Error::Network(err.to_string()))?;
        read::<StatusReply>(response).await.map(|_| ())
    }

    fn remember_csrf(&self, response: &Response) {
        let headers = response.headers();
        if let (Some(name), Some(token)) =
            (headers.get("X-CSRF-HEADER"), headers.get("X-CSRF-TOKEN"))
        {
            if !name.trim().is_empty() {
                *self.csrf.borrow_mut() = Some((name.trim().to_owned(), token));
            }
        }
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Error> {
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|err| Error::Network(err.to_string()))?;
    decode_reply(status, &body)
}

/// Percent-encodes a path segment (session ids come from the server: never trust them in a URL).
fn encode_segment(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
