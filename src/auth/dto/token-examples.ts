// Tokens shown in the OpenAPI document's examples, shaped as this service issues them.

/** A login's session id: the access token's `sid`, and the id `GET /users/me/sessions` lists. */
export const EXAMPLE_SESSION_ID = '0b6e2f4c-7a51-4d3e-8f9a-3c1d5e7b9a24';

/**
 * johndoe's access token from a login on 2025-06-01, long expired and signed with the tutorial's
 * published SECRET_KEY, which this service refuses to start with: a real token's shape, usable nowhere.
 */
export const EXAMPLE_ACCESS_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IlJma2ZKdFZibDZDbzdzLWkifQ.' +
  'eyJzdWIiOiJqb2huZG9lIiwidWlkIjoiNWYwYzNhNmUtOGIxZC00ZTJhLTljNDctMmQ4ZTZiMWYwYTkzIiwidmVyIjowLCJzaWQiOiIwYjZlMmY0Yy03YTUxLTRkM2UtOGY5YS0zYzFkNWU3YjlhMjQiLCJzY29wZSI6Im1lIGl0ZW1zIiwiaWF0IjoxNzQ4NzcwMjAwLCJleHAiOjE3NDg3NzIwMDAsImF1ZCI6Im9hdXRoMi1wYXNzd29yZC1zZXJ2aWNlIiwiaXNzIjoib2F1dGgyLXBhc3N3b3JkLXNlcnZpY2UiLCJqdGkiOiJjMmE3ZTlmMS00YjNkLTRhNjgtYjVlMC04ZDFmNmMzYTJlNTcifQ.' +
  'kRDW3b9Pi3lXZ8hFWkOltMRUjHGLSvSRehqIu5v2qYk';

/** 32 random bytes in base64url, as refresh tokens are. */
export const EXAMPLE_REFRESH_TOKEN = 'GvLKLLPuiWLFFLqaer-foEWxRRhA1t7Ag1LROOOw76M';
