(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 7
(002) ldh      [16]
(003) sub      #10
(004) add      #12
(005) jeq      #0x7             jt 6	jf 7
(006) ret      #262144
(007) ret      #0
