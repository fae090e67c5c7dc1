// The object type of response trees: nlohmann's ordered_map (3.11.2, MIT,
// Copyright 2013-2022 Niels Lohmann), with these changes: its elements are
// std::pair<Key, T>, not std::pair<const Key, T>; room for members is
// reserved four at a time (reserve_first); and the lookups by another key
// type (a literal, a string_view) compare a view of it made once, so that a
// literal key costs no strlen and compare(const char*) per member.
//
// Why: with a const key the pair's move constructor may throw (it copies the
// key), so std::vector copies every element when it grows, and for a JSON
// object that means a deep copy of every subtree already in it. Building a
// response copied the whole tree several times over (issue 7's profile);
// with a movable key, growth moves. Keys are never changed through
// iterators; the engine only inserts and reads.
#pragma once

#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace mtorcalc {

// clang-format off
// basic_json passes an allocator of pair<const Key, T>; the container
// allocates its own element type with it (rebound).
template <class Key, class T, class IgnoredLess = std::less<Key>,
          class PassedAllocator = std::allocator<std::pair<const Key, T>>>
struct response_map : std::vector<std::pair<Key, T>,
    typename std::allocator_traits<PassedAllocator>::template rebind_alloc<std::pair<Key, T>>>
{
    using Allocator =
        typename std::allocator_traits<PassedAllocator>::template rebind_alloc<std::pair<Key, T>>;
    using key_type = Key;
    using mapped_type = T;
    using Container = std::vector<std::pair<Key, T>, Allocator>;
    using iterator = typename Container::iterator;
    using const_iterator = typename Container::const_iterator;
    using size_type = typename Container::size_type;
    using value_type = typename Container::value_type;
    using key_compare = std::equal_to<>;

    // Explicit constructors instead of `using Container::Container`
    // otherwise older compilers choke on it (GCC <= 5.5, xcode <= 9.4)
    response_map() noexcept(noexcept(Container())) : Container{} {}
    explicit response_map(const Allocator& alloc) noexcept(noexcept(Container(alloc))) : Container{alloc} {}
    template <class It>
    response_map(It first, It last, const Allocator& alloc = Allocator())
        : Container{first, last, alloc} {}
    response_map(std::initializer_list<value_type> init, const Allocator& alloc = Allocator() )
        : Container{init, alloc} {}

    // An engine-built object gets most of its members one by one: room for
    // four from the first (a block that still comes from the pool,
    // pool.hpp), then four times as much, so that a regimen's seventeen
    // members move twice rather than at one, two, four, eight and sixteen.
    void reserve_first()
    {
        if (this->size() == this->capacity())
        {
            this->reserve(this->capacity() == 0 ? 4 : this->capacity() * 4);
        }
    }

    std::pair<iterator, bool> emplace(const key_type& key, T&& t)
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                return {it, false};
            }
        }
        reserve_first();
        Container::emplace_back(key, std::forward<T>(t));
        return {std::prev(this->end()), true};
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    std::pair<iterator, bool> emplace(KeyType && key, T && t)
    {
        const std::string_view k(key);
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (it->first == k)
            {
                return {it, false};
            }
        }
        reserve_first();
        Container::emplace_back(std::piecewise_construct, std::forward_as_tuple(k.data(), k.size()),
                                 std::forward_as_tuple(std::forward<T>(t)));
        return {std::prev(this->end()), true};
    }

    T& operator[](const key_type& key)
    {
        return emplace(key, T{}).first->second;
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    T & operator[](KeyType && key)
    {
        return emplace(std::forward<KeyType>(key), T{}).first->second;
    }

    const T& operator[](const key_type& key) const
    {
        return at(key);
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    const T & operator[](KeyType && key) const
    {
        return at(std::forward<KeyType>(key));
    }

    T& at(const key_type& key)
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                return it->second;
            }
        }

        throw(std::out_of_range("key not found"));
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    T & at(KeyType && key)
    {
        const std::string_view k(key);
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (it->first == k)
            {
                return it->second;
            }
        }

        throw(std::out_of_range("key not found"));
    }

    const T& at(const key_type& key) const
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                return it->second;
            }
        }

        throw(std::out_of_range("key not found"));
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    const T & at(KeyType && key) const
    {
        const std::string_view k(key);
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (it->first == k)
            {
                return it->second;
            }
        }

        throw(std::out_of_range("key not found"));
    }

    size_type erase(const key_type& key)
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                // Since we cannot move const Keys, re-construct them in place
                for (auto next = it; ++next != this->end(); ++it)
                {
                    it->~value_type(); // Destroy but keep allocation
                    new (&*it) value_type{std::move(*next)};
                }
                Container::pop_back();
                return 1;
            }
        }
        return 0;
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    size_type erase(KeyType && key)
    {
        const std::string_view k(key);
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (it->first == k)
            {
                // Since we cannot move const Keys, re-construct them in place
                for (auto next = it; ++next != this->end(); ++it)
                {
                    it->~value_type(); // Destroy but keep allocation
                    new (&*it) value_type{std::move(*next)};
                }
                Container::pop_back();
                return 1;
            }
        }
        return 0;
    }

    iterator erase(iterator pos)
    {
        return erase(pos, std::next(pos));
    }

    iterator erase(iterator first, iterator last)
    {
        if (first == last)
        {
            return first;
        }

        const auto elements_affected = std::distance(first, last);
        const auto offset = std::distance(Container::begin(), first);

        // This is the start situation. We need to delete elements_affected
        // elements (3 in this example: e, f, g), and need to return an
        // iterator past the last deleted element (h in this example).
        // Note that offset is the distance from the start of the vector
        // to first. We will need this later.

        // [ a, b, c, d, e, f, g, h, i, j ]
        //               ^        ^
        //             first    last

        // Since we cannot move const Keys, we re-construct them in place.
        // We start at first and re-construct (viz. copy) the elements from
        // the back of the vector. Example for first iteration:

        //               ,--------.
        //               v        |   destroy e and re-construct with h
        // [ a, b, c, d, e, f, g, h, i, j ]
        //               ^        ^
        //               it       it + elements_affected

        for (auto it = first; std::next(it, elements_affected) != Container::end(); ++it)
        {
            it->~value_type(); // destroy but keep allocation
            new (&*it) value_type{std::move(*std::next(it, elements_affected))}; // "move" next element to it
        }

        // [ a, b, c, d, h, i, j, h, i, j ]
        //               ^        ^
        //             first    last

        // remove the unneeded elements at the end of the vector
        Container::resize(this->size() - static_cast<size_type>(elements_affected));

        // [ a, b, c, d, h, i, j ]
        //               ^        ^
        //             first    last

        // first is now pointing past the last deleted element, but we cannot
        // use this iterator, because it may have been invalidated by the
        // resize call. Instead, we can return begin() + offset.
        return Container::begin() + offset;
    }

    size_type count(const key_type& key) const
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                return 1;
            }
        }
        return 0;
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    size_type count(KeyType && key) const
    {
        const std::string_view k(key);
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (it->first == k)
            {
                return 1;
            }
        }
        return 0;
    }

    iterator find(const key_type& key)
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                return it;
            }
        }
        return Container::end();
    }

    template<class KeyType, nlohmann::detail::enable_if_t<
                 nlohmann::detail::is_usable_as_key_type<key_compare, key_type, KeyType>::value, int> = 0>
    iterator find(KeyType && key)
    {
        const std::string_view k(key);
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (it->first == k)
            {
                return it;
            }
        }
        return Container::end();
    }

    const_iterator find(const key_type& key) const
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, key))
            {
                return it;
            }
        }
        return Container::end();
    }

    std::pair<iterator, bool> insert( value_type&& value )
    {
        return emplace(value.first, std::move(value.second));
    }

    std::pair<iterator, bool> insert( const value_type& value )
    {
        for (auto it = this->begin(); it != this->end(); ++it)
        {
            if (m_compare(it->first, value.first))
            {
                return {it, false};
            }
        }
        Container::push_back(value);
        return {--this->end(), true};
    }

    template<typename InputIt>
    using require_input_iter = typename std::enable_if<std::is_convertible<typename std::iterator_traits<InputIt>::iterator_category,
            std::input_iterator_tag>::value>::type;

    template<typename InputIt, typename = require_input_iter<InputIt>>
    void insert(InputIt first, InputIt last)
    {
        for (auto it = first; it != last; ++it)
        {
            insert(*it);
        }
    }

private:
    key_compare m_compare = key_compare();
};
// clang-format on

}  // namespace mtorcalc
