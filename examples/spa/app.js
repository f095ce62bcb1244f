// Signs in with the authorization code flow and PKCE (S256), then shows who is signed in.
// window.CONFIG comes from config.js: { service, clientId }.
const { service, clientId } = window.CONFIG;
const redirectUri = `${location.origin}/`;
const $ = (id) => document.getElementById(id);

const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'me items',
    state,
  });
  location.assign(`${service}/authorize?${query}`);
}

async function finishSignIn(params) {
  const { verifier, state } = JSON.parse(sessionStorage.getItem('pkce') ?? '{}');
  sessionStorage.removeItem('pkce');
  history.replaceState(null, '', redirectUri);
  if (!state || params.get('state') !== state) throw new Error('The answer does not belong to a sign-in started here.');
  if (params.get('iss') !== service) throw new Error('The answer comes from another server.');
  if (params.has('error')) throw new Error(params.get('error_description') ?? params.get('error'));
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
  const response = await fetch(`${service}/token`, { method: 'POST', body });
  if (!response.ok) throw new Error(`The token endpoint answered ${response.status}.`);
  sessionStorage.setItem('access_token', (await response.json()).access_token);
}

async function show() {
  const token = sessionStorage.getItem('access_token');
  if (token) {
    const response = await fetch(`${service}/users/me/`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (response.ok) {
      $('status').textContent = `Signed in as ${(await response.json()).username}`;
      $('sign-in').hidden = true;
      $('sign-out').hidden = false;
      return;
    }
    sessionStorage.removeItem('access_token');
  }
  $('status').textContent = 'Not signed in';
  $('sign-in').hidden = false;
  $('sign-out').hidden = true;
}

function fail(error) {
  $('error').textContent = error.message;
  $('error').hidden = false;
}

$('sign-in').addEventListener('click', () => signIn().catch(fail));
$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem('access_token');
  show().catch(fail);
});

const params = new URLSearchParams(location.search);
(params.has('code') || params.has('error') ? finishSignIn(params) : Promise.resolve()).catch(fail).then(show).catch(fail);
