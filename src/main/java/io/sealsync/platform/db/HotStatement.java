package io.sealsync.platform.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a statement that serves requests, so that its plan is checked at volume: on a {@code static
 * final String} constant, the statement (SQL, or JPQL whose check names the SQL the providers run);
 * on a static method returning {@code String}, the statement it builds from its arguments (a
 * registered table, a filter).
 *
 * <p>The test command runs {@code EXPLAIN} on every marked statement against a loaded database
 * ({@code HotStatementPlansIT}) and fails on a sequential scan of a table that grows with use; it
 * also fails when a marked statement has no plan check, or when a class holding marked statements
 * has SQL that is not marked ({@code HotStatementsTest}). Mark every statement of a request path.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface HotStatement {}
