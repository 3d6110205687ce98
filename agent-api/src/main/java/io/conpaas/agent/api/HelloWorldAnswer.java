package io.conpaas.agent.api;

/** The answer of the helloworld role's get_helloworld. */
public record HelloWorldAnswer(String message) {
}
