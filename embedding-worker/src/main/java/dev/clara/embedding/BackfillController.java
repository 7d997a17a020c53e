package dev.clara.embedding;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /backfill}: embed now every pair that lacks a current vector (the port is internal). */
@RestController
class BackfillController {

	private final Backfill backfill;

	BackfillController(Backfill backfill) {
		this.backfill = backfill;
	}

	@PostMapping("/backfill")
	ResponseEntity<Backfill.Result> backfill() {
		Backfill.Result result = this.backfill.run();
		return ResponseEntity.status(result.alreadyRunning() ? HttpStatus.CONFLICT : HttpStatus.OK).body(result);
	}

}
