"""Routes of the web app: auth (log in/out, language, invitations), pages and the JSON API."""
