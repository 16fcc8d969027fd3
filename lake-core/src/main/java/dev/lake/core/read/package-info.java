/**
 * Reading lake's tables back as rows. <b>API</b>: {@link dev.lake.core.read.TableRows}, for tools
 * and checks (rebuilding a book, verifying a period); query engines read the tables faster.
 */
package dev.lake.core.read;
