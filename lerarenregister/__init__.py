"""The Dutch teachers' register (lerarenregister): one GraphQL API for every audience."""
