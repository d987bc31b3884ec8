//! Record linkage: block, compare, classify, cluster, review.
