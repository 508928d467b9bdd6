package io.sealsync.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** All REST resources of the WAR live at the context root: the protocols fix their own paths. */
@ApplicationPath("/")
public class SealsyncApplication extends Application {}
