package dev.bookingplatform.testsupport.postgres;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** One database on a {@link PostgresServer}, with what a client needs to reach it. */
public record PostgresDatabase(String host, int port, String name, String username, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] { host });
        dataSource.setPortNumbers(new int[] { port });
        dataSource.setDatabaseName(name);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return dataSource;
    }
}
