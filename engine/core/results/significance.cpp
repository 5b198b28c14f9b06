#include "core/results/significance.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "core/base/seeded_random.h"

namespace fewdata {
namespace {

// Differences closer to zero than this are ties in the sign-flip sums (rounding in the runs'
// stored accuracies must not turn an equal sum into a smaller one).
constexpr double kTie = 1e-9;

}  // namespace

double tQuantile975(int df) {
    if (df < 1) return 0;
    return boost::math::quantile(boost::math::students_t(df), 0.975);
}

double pairedTTestP(const std::vector<double>& d) {
    const size_t n = d.size();
    if (n < 2) return 1;
    const double mean = std::accumulate(d.begin(), d.end(), 0.0) / double(n);
    double ss = 0;
    for (double x : d) ss += (x - mean) * (x - mean);
    const double sd = std::sqrt(ss / double(n - 1));
    if (std::abs(mean) < kTie) return 1;
    if (sd < kTie) return 0;
    const double t = std::abs(mean) / (sd / std::sqrt(double(n)));
    return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(double(n - 1)), t));
}

double signFlipP(const std::vector<double>& d) {
    const size_t n = d.size();
    if (n == 0) return 1;
    const double observed = std::abs(std::accumulate(d.begin(), d.end(), 0.0));
    auto sumWithSigns = [&](uint64_t bits) {
        double s = 0;
        for (size_t i = 0; i < n; ++i) s += (bits >> i & 1u) ? -d[i] : d[i];
        return std::abs(s);
    };
    uint64_t atLeast = 0, total = 0;
    if (n <= size_t(kExactSignFlips)) {
        total = uint64_t(1) << n;
        for (uint64_t bits = 0; bits < total; ++bits)
            atLeast += sumWithSigns(bits) >= observed - kTie;
        return double(atLeast) / double(total);
    }
    // Too many assignments to list: a seeded sample, the observed one counted once more so the
    // estimate is never 0 (Phipson and Smyth's correction).
    SplitMix64 rng(0x5167F11Bu);
    total = uint64_t(1) << 20;
    for (uint64_t i = 0; i < total; ++i) {
        double s = 0;
        for (size_t k = 0; k < n; ++k) s += (rng.next() & 1u) ? -d[k] : d[k];
        atLeast += std::abs(s) >= observed - kTie;
    }
    return double(atLeast + 1) / double(total + 1);
}

int minimumSignFlipSeeds(int methods) {
    int n = 1;
    while (2.0 / std::ldexp(1.0, n) * std::max(1, methods) >= 0.05) ++n;
    return n;
}

std::vector<double> holmAdjusted(const std::vector<double>& p) {
    const size_t m = p.size();
    std::vector<size_t> order(m);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
    std::vector<double> out(m);
    double running = 0;
    for (size_t rank = 0; rank < m; ++rank) {
        const size_t i = order[rank];
        running = std::max(running, std::min(1.0, double(m - rank) * p[i]));
        out[i] = running;
    }
    return out;
}

int seedsForDifference(double delta, double sd, double power) {
    if (!(sd > 0) || !(delta > 0)) return 0;
    for (int n = 2; n < 100000; ++n) {
        const boost::math::students_t t(double(n - 1));
        const double critical = boost::math::quantile(t, 0.975);
        const double shift = delta * std::sqrt(double(n)) / sd;
        // P(T + shift > critical): the far tail on the other side is negligible.
        if (boost::math::cdf(boost::math::complement(t, critical - shift)) >= power) return n;
    }
    return 100000;
}

}  // namespace fewdata
