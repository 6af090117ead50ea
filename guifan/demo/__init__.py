"""The simulated city day: the product's own API, services and worker on a simulated clock."""
