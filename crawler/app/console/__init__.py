"""The analyst's web console: incidents as a list, a map and a timeline, one incident, feeds, deliveries, exports."""
