package dev.clara.planted.cycle.a;

import dev.clara.planted.cycle.b.Second;

/** Planted: package a uses package b, which uses package a. */
public class First {

	public Second next() {
		return new Second();
	}

}
