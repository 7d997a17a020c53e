package dev.clara.chat.owner.web;

import java.util.List;

/** 1-based page of a list endpoint: {@code ?page=1&per_page=50}. */
public record Paging(int page, int perPage) {

	public static final int MAX_PER_PAGE = 200;

	public static Paging of(String page, String perPage) {
		return new Paging(parse("page", page, 1, Integer.MAX_VALUE / MAX_PER_PAGE, 1),
				parse("per_page", perPage, 1, MAX_PER_PAGE, 50));
	}

	public int offset() {
		return (this.page - 1) * this.perPage;
	}

	public <T> Page<T> page(List<T> items, long total) {
		return new Page<>(items, this.page, this.perPage, total);
	}

	private static int parse(String name, String value, int min, int max, int fallback) {
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			int n = Integer.parseInt(value.strip());
			if (n >= min && n <= max) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// fall through
		}
		throw OwnerProblems.invalid(name, "must be a whole number from " + min + " to " + max);
	}

	/** One page of results and how many there are in all. */
	public record Page<T>(List<T> items, int page, int perPage, long total) {
	}

}
