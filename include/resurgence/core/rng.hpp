#pragma once
// Random streams keyed by identity, never by position (style.md §7).
//
// A stream is derived from (master seed, replication, purpose, entity id): the same key always
// yields the same sequence, whatever the thread count, the order agents are visited in, or how
// many numbers another phase drew. Two scenarios run with the same seed therefore share their
// random numbers purpose by purpose (common random numbers for paired comparisons).
//
// Generator: xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64 from a hash of the
// key. Uniform doubles use the top 53 bits.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace resurgence {

constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Stateless 64-bit mix of one value: the SplitMix64 output for state x (x + 0x9E3779B97F4A7C15,
// then the SplitMix64 finaliser).
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    std::uint64_t s = x;
    return splitmix64(s);
}

// FNV-1a, used to turn purpose names into stable 64-bit keys at compile time.
constexpr std::uint64_t hash_name(std::string_view name) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// A named purpose: one per mechanism that draws random numbers. Defined next to its user as
//   inline constexpr Purpose kEscape{"detention.escape"};
struct Purpose {
    std::uint64_t key;
    std::string_view name;
    constexpr explicit Purpose(std::string_view n) noexcept : key(hash_name(n)), name(n) {}
};

// xoshiro256**; satisfies UniformRandomBitGenerator so <random> distributions work with it.
class Rng {
public:
    using result_type = std::uint64_t;
    static constexpr result_type min() noexcept { return 0; }
    static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

    Rng() noexcept : Rng(0) {}
    explicit Rng(std::uint64_t seed) noexcept {
        std::uint64_t sm = seed;
        for (auto& w : s_) w = splitmix64(sm);
    }

    result_type operator()() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
    // Uniform in [lo, hi).
    double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
    // Bernoulli trial with probability p (p outside [0,1] is clamped by comparison).
    bool bernoulli(double p) noexcept { return uniform() < p; }
    // Uniform integer in [0, n) without modulo bias (Lemire 2019). n must be > 0.
    std::uint64_t below(std::uint64_t n) noexcept {
        __uint128_t m = static_cast<__uint128_t>((*this)()) * n;
        auto low = static_cast<std::uint64_t>(m);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<__uint128_t>((*this)()) * n;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }
    // Exponential with rate 1.
    double exponential() noexcept { return -std::log1p(-uniform()); }
    // Poisson(mean) by inversion for small means, normal-corrected PTRS (Hörmann 1993) above.
    std::uint64_t poisson(double mean) noexcept;
    // Binomial(n, p): exact, by inversion for small n*p and by Poisson splitting otherwise.
    std::uint64_t binomial(std::uint64_t n, double p) noexcept;
    // Standard normal (Marsaglia polar method; draws pairs, discards the spare for keyed purity).
    double normal() noexcept;

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << k) | (x >> (64 - k));
    }
    std::uint64_t s_[4];
};

// The key of a stream. `entity` is an agent id, a region index, a day... whatever identifies
// the draw's owner within the purpose.
struct StreamKey {
    std::uint64_t seed;
    std::uint64_t replication;
    std::uint64_t purpose;
    std::uint64_t entity;
};

constexpr std::uint64_t stream_seed(const StreamKey& k) noexcept {
    std::uint64_t h = mix64(k.seed ^ 0x5EED5EED5EED5EEDULL);
    h = mix64(h ^ k.replication);
    h = mix64(h ^ k.purpose);
    h = mix64(h ^ k.entity);
    return h;
}

inline Rng make_stream(std::uint64_t seed, std::uint64_t replication, const Purpose& purpose,
                       std::uint64_t entity = 0) noexcept {
    return Rng(stream_seed({seed, replication, purpose.key, entity}));
}

// The seeds of one replication: every stream in a run derives from these two numbers.
struct RunSeed {
    std::uint64_t seed = 0;
    std::uint64_t replication = 0;
    [[nodiscard]] Rng stream(const Purpose& purpose, std::uint64_t entity = 0) const noexcept {
        return make_stream(seed, replication, purpose, entity);
    }
    // One stream per (purpose, day, entity): a phase that draws a different number of values
    // on one day does not shift any later day's draws.
    [[nodiscard]] Rng daily(const Purpose& purpose, int day, std::uint64_t entity = 0) const noexcept {
        return make_stream(seed, replication, purpose,
                           mix64(static_cast<std::uint64_t>(day) * 0x9E3779B97F4A7C15ULL ^ entity));
    }
};

}  // namespace resurgence
