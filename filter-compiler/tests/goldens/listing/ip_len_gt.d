(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 5
(002) ldh      [16]
(003) jgt      #0x64            jt 4	jf 5
(004) ret      #262144
(005) ret      #0
