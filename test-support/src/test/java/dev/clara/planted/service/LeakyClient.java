package dev.clara.planted.service;

import dev.clara.planted.other.ForeignService;

/** Planted: a service class that calls another service's class directly. */
public class LeakyClient {

	public String call() {
		return new ForeignService().name();
	}

}
