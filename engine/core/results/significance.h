// Tests of a method against the baseline on paired differences (one per seed), and the
// Holm-Bonferroni correction across the methods of one table.
#pragma once

#include <vector>

namespace fewdata {

// Two-sided 95 % Student-t quantile for `df` degrees of freedom (0 for df < 1).
double tQuantile975(int df);

// Two-sided p-value of the paired t-test that the mean difference is 0. 1 when it is
// undefined: fewer than 2 differences, or all equal to 0. 0 when every difference is the same
// non-zero value (no spread: the t statistic is infinite).
double pairedTTestP(const std::vector<double>& differences);

// Two-sided p-value of the sign-flip permutation test: the share of the 2^n sign assignments
// whose |sum| is at least the observed one (the observed one included, so never 0). Exact by
// enumeration up to kExactSignFlips differences; beyond, 2^20 seeded random assignments.
constexpr int kExactSignFlips = 20;
double signFlipP(const std::vector<double>& differences);

// The fewest seeds at which the sign-flip test of one of `methods` methods can reach p < 0.05
// after Holm's correction: 2 / 2^n * methods < 0.05.
int minimumSignFlipSeeds(int methods);

// Holm's step-down adjusted p-values, in the input's order (each at most 1, and monotone in
// the order of the raw values).
std::vector<double> holmAdjusted(const std::vector<double>& p);

// Seeds of a paired comparison needed to detect a true mean difference `delta` with a
// two-sided 5 % t-test and the given power, when the differences have standard deviation
// `sdOfDifferences` (the smallest n whose noncentral-t power, approximated by the central t
// shifted by delta sqrt(n)/sd, reaches it). 0 when sd or delta is not positive.
int seedsForDifference(double delta, double sdOfDifferences, double power = 0.8);

}  // namespace fewdata
