package dev.clara.planted.other;

/** Planted: stands for another service's class. */
public class ForeignService {

	public String name() {
		return "other";
	}

}
