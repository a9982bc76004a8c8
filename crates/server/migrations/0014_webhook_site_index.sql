-- Every stored chat message asks which endpoints want it: by site, at once.
CREATE INDEX webhook_endpoints_site ON webhook_endpoints (site_id, status);
