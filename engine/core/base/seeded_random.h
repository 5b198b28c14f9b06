// A small seeded generator whose output is fixed by this file alone, so a manifest drawn with
// seed S is the same with any compiler or standard library (std::shuffle's is not specified).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace fewdata {

class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, bound) by Lemire's multiply-shift with rejection (no modulo bias).
    uint64_t below(uint64_t bound) {
        for (;;) {
            const unsigned __int128 m = static_cast<unsigned __int128>(next()) * bound;
            const uint64_t low = static_cast<uint64_t>(m);
            if (low >= (-bound) % bound) return static_cast<uint64_t>(m >> 64);
        }
    }

private:
    uint64_t state_;
};

template <typename T>
void seededShuffle(std::vector<T>& v, SplitMix64& rng) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace fewdata
