"""Programme outcomes for coordinators: metrics, fairness, comparison with non-participants."""
