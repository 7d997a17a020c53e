package dev.clara.planted.cycle.b;

import dev.clara.planted.cycle.a.First;

/** Planted: closes the cycle a -> b -> a. */
public class Second {

	public First back() {
		return new First();
	}

}
