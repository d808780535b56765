"""Lists and dicts as the notes use them: append, slices, sorting, keys and items."""
nums = [5, 3, 8, 1]
nums.append(7)
nums.sort()
print(nums, nums[0], nums[-1], nums[1:3], len(nums))
print(sum(nums), min(nums), max(nums), 8 in nums)
squares = [n * n for n in nums if n % 2 == 1]
print(squares)

ages = {"ann": 31, "bob": 25}
ages["cid"] = 40
print(ages, ages["bob"], ages.get("dan", "unknown"))
for name, age in ages.items():
    print(name, age)
print(sorted(ages.keys()), list(ages.values()))
del ages["ann"]
print(len(ages), "ann" in ages)
pair = (1, "one")
number, word = pair
print(number, word, pair)
