"""A company's own career framework: levels, areas and the criteria each level expects."""
